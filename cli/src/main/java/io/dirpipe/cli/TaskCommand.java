package io.dirpipe.cli;

import io.dirpipe.core.kafka.TopicsConfig;
import io.dirpipe.extractor.Worker;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ExtractionTask;
import io.dirpipe.schemas.Mode;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dirpipe task}: give the extraction workers a task. */
@Command(
    name = "task",
    mixinStandardHelpOptions = true,
    description =
        "Publishes an extraction task for the workers (dirpipe extract --worker), keyed by tenant.")
final class TaskCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(
      names = "--tenant-id",
      required = true,
      paramLabel = "ID",
      description =
          "The tenant to extract (configured by tenant.id or tenants.<name>.tenant.id on the workers).")
  String tenantId;

  @Option(
      names = "--collections",
      split = ",",
      paramLabel = "C",
      description = "Collections (default: the workers' extract.collections).")
  List<String> collections = List.of();

  @Option(
      names = "--mode",
      paramLabel = "full|delta",
      defaultValue = "full",
      description = "Run mode (default: ${DEFAULT-VALUE}).")
  String mode;

  @Override
  public Integer call() {
    collections.forEach(Collection::of);
    Mode m = Mode.valueOf(mode.toUpperCase(Locale.ROOT));
    TopicsConfig kafka = KafkaWiring.config(config.load().values());
    Worker.submit(kafka.clients(), kafka.topics(), new ExtractionTask(tenantId, collections, m));
    spec.commandLine()
        .getOut()
        .println(
            "task published: tenant "
                + tenantId
                + ", "
                + m
                + ", "
                + (collections.isEmpty()
                    ? "configured collections"
                    : String.join(",", collections)));
    return Main.OK;
  }
}
