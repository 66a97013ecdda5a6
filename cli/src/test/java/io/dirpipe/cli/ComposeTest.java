package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.cli.config.ConfigKeys;
import io.dirpipe.cli.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, checked without a Docker engine: every dirpipe service's command parses with
 * the real command model, and every variable it sets is a configuration key with a valid value (or
 * one of the Azure SDK's own variables).
 */
class ComposeTest {
  static final Path COMPOSE = Path.of("..", "docker-compose.yml");
  static final Set<String> AZURE_SDK_VARIABLES =
      Set.of(
          "IDENTITY_ENDPOINT",
          "IDENTITY_HEADER",
          "AZURE_CLIENT_ID",
          "AZURE_TENANT_ID",
          "AZURE_FEDERATED_TOKEN_FILE",
          "AZURE_AUTHORITY_HOST",
          "AZURE_POD_IDENTITY_AUTHORITY_HOST",
          "JAVA_TOOL_OPTIONS");
  static final Path EMPTY = empty();
  static final Pattern INTERPOLATION = Pattern.compile("\\$\\{(\\w+)(?::?-([^}]*))?}");

  @Test
  void everyDirpipeServiceIsAValidCommandWithKnownConfiguration() throws Exception {
    JsonNode services = compose().path("services");
    List<String> checked = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode service = e.getValue();
      if (!service.path("image").asText().startsWith("dirpipe")) {
        continue;
      }
      List<String> args = new ArrayList<>();
      service.path("command").forEach(a -> args.add(a.asText()));
      assertThat(args).as(e.getKey() + " command").isNotEmpty();
      var parsed = Main.commandLine(Map.of()).parseArgs(args.toArray(String[]::new));
      assertThat(parsed.subcommand()).as(e.getKey() + ": a dirpipe subcommand").isNotNull();

      Map<String, String> env = new HashMap<>();
      service
          .path("environment")
          .fields()
          .forEachRemaining(v -> env.put(v.getKey(), resolve(v.getValue().asText())));
      for (String name : env.keySet()) {
        assertThat(name.startsWith("DIRPIPE_") || AZURE_SDK_VARIABLES.contains(name))
            .as(e.getKey() + ": variable " + name)
            .isTrue();
      }
      assertThatCode(() -> new ConfigLoader(ConfigKeys.all()).load(EMPTY, env))
          .as(e.getKey() + " environment")
          .doesNotThrowAnyException();
      checked.add(e.getKey());
    }
    assertThat(checked)
        .containsExactlyInAnyOrder(
            "extract", "transform", "sink-lake", "sink-loganalytics", "sandbox", "pipeline");
  }

  @Test
  void thePipelineOfTheSandboxProfileHasWhatTheSandboxPrints() throws Exception {
    JsonNode services = compose().path("services");
    List<String> command = new ArrayList<>();
    services.path("sandbox").path("command").forEach(a -> command.add(a.asText()));
    JsonNode pipeline = services.path("pipeline").path("environment");
    try (io.dirpipe.sandbox.Sandbox sandbox =
        io.dirpipe.sandbox.Sandbox.start(
            io.dirpipe.sandbox.Sandbox.Options.defaults(100)
                .withNetwork(
                    new io.dirpipe.sandbox.Sandbox.Network(
                        "127.0.0.1",
                        arg(command, "--advertise"),
                        arg(command, "--identity-header"),
                        Files.createTempDirectory("dirpipe-compose"))))) {
      Map<String, String> printed = sandbox.environment();
      for (String key :
          List.of(
              "IDENTITY_HEADER",
              "DIRPIPE_TENANT_ID",
              "DIRPIPE_TRUSTSTORE_PASSWORD",
              "DIRPIPE_LOGS_RULE_ID")) {
        assertThat(pipeline.path(key).asText()).as(key).isEqualTo(printed.get(key));
      }
      assertThat(pipeline.path("DIRPIPE_GRAPH_URL").asText())
          .isEqualTo(
              printed.get("DIRPIPE_GRAPH_URL").replaceAll(":\\d+$", ":" + arg(command, "--port")));
      assertThat(pipeline.path("DIRPIPE_TRUSTSTORE").asText())
          .isEqualTo(arg(command, "--out-dir") + "/sandbox-truststore.p12");
    }
  }

  private static String arg(List<String> command, String option) {
    return command.get(command.indexOf(option) + 1);
  }

  @Test
  void aWrongCommandOrKeyWouldBeCaught() {
    assertThatCode(() -> Main.commandLine(Map.of()).parseArgs("sink", "datalake"))
        .isInstanceOf(picocli.CommandLine.ParameterException.class);
    assertThatCode(
            () -> new ConfigLoader(ConfigKeys.all()).load(EMPTY, Map.of("DIRPIPE_LAKE_ROOTS", "x")))
        .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
        .hasMessageContaining("DIRPIPE_LAKE_ROOTS");
  }

  private static Path empty() {
    try {
      Path p = Files.createTempFile("dirpipe-empty", ".yaml");
      p.toFile().deleteOnExit();
      return p;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The compose file as Compose reads it: SnakeYAML expands anchors and merge keys. */
  private static JsonNode compose() throws Exception {
    Object yaml = new org.yaml.snakeyaml.Yaml().load(Files.readString(COMPOSE));
    return new ObjectMapper().valueToTree(yaml);
  }

  /** {@code ${VAR:-default}} → the default (a deployment's value would replace it). */
  private static String resolve(String value) {
    Matcher m = INTERPOLATION.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "x" : m.group(2)));
    }
    m.appendTail(out);
    return out.toString();
  }
}
