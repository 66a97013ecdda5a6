package io.dirpipe.cli;

import io.dirpipe.sandbox.kafka.LocalKafka;
import io.dirpipe.sandbox.registry.SchemaRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dirpipe kafka}: a local single-node broker until Ctrl-C or SIGTERM. */
@Command(
    name = "kafka",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a local single-node Kafka broker (KRaft, in this process, loopback, random port) and runs"
          + " until Ctrl-C or SIGTERM.",
      "Prints the lines to give other dirpipe processes the broker and its schema registry (a"
          + " Confluent-API registry, its state in the _schemas topic): export"
          + " DIRPIPE_KAFKA_BOOTSTRAP_SERVERS=host:port and export"
          + " DIRPIPE_SCHEMA_REGISTRY_URL=http://host:port"
    })
final class KafkaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Keep the broker's data in DIR (default: a temporary directory, deleted on exit).")
  Path dataDir;

  @Override
  public Integer call() throws InterruptedException {
    Shutdown shutdown = Shutdown.onSignals();
    PrintWriter out = spec.commandLine().getOut();
    try (LocalKafka kafka = LocalKafka.start(dataDir);
        SchemaRegistry registry = SchemaRegistry.start(kafka.clients())) {
      out.println("export DIRPIPE_KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers());
      out.println("export DIRPIPE_SCHEMA_REGISTRY_URL=" + registry.url());
      out.println("# Kafka and its schema registry ready; Ctrl-C or SIGTERM stops them");
      out.flush();
      shutdown.await();
    }
    return Main.OK;
  }
}
