package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(Map<String, String> env, String... args) {
    return Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(out.toString()).contains("Usage: dirpipe", "kafka", "config");
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(run(Map.of(), "extrct")).isEqualTo(2);
    assertThat(err.toString()).contains("'extrct'");
  }

  @Test
  void configurationErrorsExitWithTwoAndNameTheVariable() {
    assertThat(run(Map.of("DIRPIPE_TOPICS_PREFIX", "no spaces allowed"), "config")).isEqualTo(2);
    assertThat(err.toString())
        .contains("configuration error", "topics.prefix", "DIRPIPE_TOPICS_PREFIX");
  }

  @Test
  void configShowsValuesWithOriginsAndHidesSecrets(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("d.yaml");
    Files.writeString(
        file,
        "topics:\n  prefix: prod.\nkafka:\n  sasl.jaas.config: 'org.Module required password=\"pw\";'\n");

    int code =
        run(
            Map.of("DIRPIPE_KAFKA_BOOTSTRAP_SERVERS", "b:9092"),
            "config",
            "--config",
            file.toString(),
            "--json");

    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("\"topics.prefix\"", "\"prod.\"", file.toString())
        .contains("\"kafka.bootstrap.servers\"", "DIRPIPE_KAFKA_BOOTSTRAP_SERVERS")
        .contains("\"kafka.sasl.jaas.config\"", "[hidden]")
        .doesNotContain("password=");
  }
}
