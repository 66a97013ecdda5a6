package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void aCheckpointResetMustNameItsCollection() {
    assertThat(run(Map.of(), "checkpoints", "--reset")).isEqualTo(2);
    assertThat(err.toString()).contains("--reset needs --collection");
  }

  @Test
  void configWithoutATenantSaysWhatIsMissing() {
    assertThat(run(Map.of(), "config")).isEqualTo(2);
    assertThat(err.toString()).contains("tenant.id is not set", "DIRPIPE_TENANT_ID");
  }

  @Test
  void aTenantIdThatIsNotOneIsRefusedWithoutEchoingIt() {
    for (String forged :
        List.of("72f988bf-86f1-41af-91ab-2d7cd011db47\nkafka.x  evil", "x/../../ESCAPED")) {
      err.getBuffer().setLength(0);
      assertThat(run(Map.of("DIRPIPE_TENANT_ID", forged), "config")).isEqualTo(2);
      assertThat(err.toString())
          .contains("tenant.id must be a tenant id (a GUID")
          .doesNotContain("evil")
          .doesNotContain("ESCAPED");
    }
  }

  @Test
  void kubernetesServiceLinkVariablesAreNotConfiguration() {
    Map<String, String> pod =
        Map.of(
            "DIRPIPE_TENANT_ID", "contoso.onmicrosoft.com",
            "DIRPIPE_PORT", "tcp://10.0.0.1:80",
            "DIRPIPE_PORT_80_TCP", "tcp://10.0.0.1:80",
            "DIRPIPE_PORT_80_TCP_PROTO", "tcp",
            "DIRPIPE_PORT_80_TCP_PORT", "80",
            "DIRPIPE_PORT_80_TCP_ADDR", "10.0.0.1",
            "DIRPIPE_SERVICE_HOST", "10.0.0.1",
            "DIRPIPE_SERVICE_PORT", "80",
            "DIRPIPE_SERVICE_PORT_METRICS", "9464",
            "DIRPIPE_METRICS_SERVICE_HOST", "10.0.0.2");
    assertThat(run(pod, "config")).as(err.toString()).isZero();
    assertThat(out.toString()).doesNotContain("10.0.0.1");

    Map<String, String> typo = new java.util.HashMap<>(pod);
    typo.put("DIRPIPE_EXTRCT_COLLECTIONS", "users");
    assertThat(run(typo, "config")).as("a typo still fails").isEqualTo(2);
    assertThat(err.toString()).contains("DIRPIPE_EXTRCT_COLLECTIONS");
  }

  @Test
  void aPlainHttpGraphUrlIsRefusedUnlessItIsLoopback() {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("DIRPIPE_TENANT_ID", "contoso.onmicrosoft.com");
    env.put("DIRPIPE_GRAPH_URL", "http://graph.example.com");
    assertThat(run(env, "extract", "--collections", "users")).isEqualTo(2);
    assertThat(err.toString()).contains("graph.url", "unencrypted", "https");
  }

  @Test
  void configShowsValuesWithOriginsAndHidesSecrets(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("d.yaml");
    Files.writeString(file, "topics:\n  prefix: prod.\n");

    int code =
        run(
            Map.of(
                "DIRPIPE_KAFKA_BOOTSTRAP_SERVERS", "b:9092",
                "DIRPIPE_KAFKA_SASL_JAAS_CONFIG", "org.Module required password=\"pw\";",
                "DIRPIPE_TENANT_ID", "contoso.onmicrosoft.com"),
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
