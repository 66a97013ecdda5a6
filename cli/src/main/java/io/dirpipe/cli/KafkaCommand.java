package io.dirpipe.cli;

import io.dirpipe.sandbox.kafka.LocalKafka;
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
      "Prints the line to give other dirpipe processes the broker: export"
          + " DIRPIPE_KAFKA_BOOTSTRAP_SERVERS=host:port"
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
    try (LocalKafka kafka = LocalKafka.start(dataDir)) {
      out.println("export DIRPIPE_KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers());
      out.println("# Kafka ready; Ctrl-C or SIGTERM stops it");
      out.flush();
      shutdown.await();
    }
    return Main.OK;
  }
}
