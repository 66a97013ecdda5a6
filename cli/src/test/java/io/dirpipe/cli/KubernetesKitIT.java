package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dirpipe.cli.config.ConfigKeys;
import io.dirpipe.cli.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Kubernetes kit as a user applies it: {@code kubectl kustomize} renders each overlay; every
 * object validates against the Kubernetes API's JSON schemas (kubernetes-models, from npm); every
 * container runs a dirpipe command line that parses, with variables and a configuration file that
 * dirpipe's own loader accepts; no Secret is in the manifests and every role runs as the workload
 * identity with its health probes on the metrics port.
 */
class KubernetesKitIT {
  static final Path KIT = Path.of("..", "deploy", "kubernetes");
  static final Path VALIDATOR = KIT.resolve("validate");
  static final Set<String> NOT_DIRPIPE = Set.of("JAVA_TOOL_OPTIONS");
  static final ObjectMapper YAML = new YAMLMapper();

  @TempDir static Path dir;

  static Stream<String> overlays() throws Exception {
    try (Stream<Path> s = Files.list(KIT.resolve("overlays"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @BeforeAll
  static void installValidator() throws Exception {
    if (!Files.isDirectory(VALIDATOR.resolve("node_modules").resolve("kubernetes-models"))) {
      Run npm = run(VALIDATOR, List.of("npm", "ci", "--no-audit", "--no-fund"), null);
      assertThat(npm.code).as("npm ci in " + VALIDATOR + ": " + npm.out + npm.err).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void rendersValidatesAndConfiguresOnlyWhatDirpipeKnows(String overlay) throws Exception {
    Run rendered = run(KIT, List.of("kubectl", "kustomize", "overlays/" + overlay), null);
    assertThat(rendered.code).as("kubectl kustomize " + overlay + ": " + rendered.err).isZero();
    Run valid = run(VALIDATOR, List.of("node", "validate.js"), rendered.out);
    assertThat(valid.code).as("schemas of " + overlay + ":\n" + valid.out + valid.err).isZero();

    List<JsonNode> objects = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(rendered.out)) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(objects::add);
    }
    assertThat(objects).extracting(o -> o.path("kind").asText()).doesNotContain("Secret");
    Path config = dir.resolve(overlay + ".yaml");
    for (JsonNode o : objects) {
      if (o.path("kind").asText().equals("ConfigMap")) {
        Files.writeString(config, o.path("data").path("dirpipe.yaml").asText());
      }
    }
    assertThat(config).as("the dirpipe.yaml of " + overlay).exists();

    List<String> checked = new ArrayList<>();
    for (JsonNode o : objects) {
      JsonNode pod =
          switch (o.path("kind").asText()) {
            case "Deployment" -> o.path("spec").path("template");
            case "CronJob" -> o.path("spec").path("jobTemplate").path("spec").path("template");
            default -> null;
          };
      if (pod == null) {
        continue;
      }
      String name = overlay + "/" + o.path("metadata").path("name").asText();
      assertThat(pod.path("metadata").path("labels").path("azure.workload.identity/use").asText())
          .as(name + " uses workload identity")
          .isEqualTo("true");
      assertThat(pod.path("spec").path("serviceAccountName").asText()).isEqualTo("dirpipe");
      JsonNode container = pod.path("spec").path("containers").get(0);
      List<String> args = new ArrayList<>();
      container.path("args").forEach(a -> args.add(a.asText()));
      assertThatCode(() -> Main.commandLine(Map.of()).parseArgs(args.toArray(String[]::new)))
          .as(name + ": dirpipe " + String.join(" ", args))
          .doesNotThrowAnyException();
      Map<String, String> env = new HashMap<>();
      for (JsonNode e : container.path("env")) {
        String variable = e.path("name").asText();
        assertThat(variable.startsWith("DIRPIPE_") || NOT_DIRPIPE.contains(variable))
            .as(name + ": variable " + variable)
            .isTrue();
        // a value from a Secret stands in as a placeholder: its name is what is checked
        env.put(variable, e.has("value") ? e.path("value").asText() : "from-a-secret");
      }
      env.remove("JAVA_TOOL_OPTIONS");
      assertThatCode(() -> new ConfigLoader(ConfigKeys.all()).load(config, env))
          .as(name + ": its variables and " + config.getFileName())
          .doesNotThrowAnyException();
      if (o.path("kind").asText().equals("Deployment")) {
        assertThat(env).containsEntry("DIRPIPE_METRICS_PORT", "9464");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
            .isEqualTo("/health/live");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
            .isEqualTo("/health/ready");
      }
      checked.add(name);
    }
    assertThat(checked)
        .as("roles in " + overlay)
        .hasSize(5)
        .contains(overlay + "/extract-worker", overlay + "/transform", overlay + "/extract-tasks");
    JsonNode account =
        objects.stream()
            .filter(o -> o.path("kind").asText().equals("ServiceAccount"))
            .findFirst()
            .orElseThrow();
    assertThat(
            account.path("metadata").path("annotations").has("azure.workload.identity/client-id"))
        .isTrue();
  }

  record Run(int code, String out, String err) {}

  static Run run(Path in, List<String> command, String stdin) throws Exception {
    Path out = Files.createTempFile("kit-out", ".txt");
    Path err = Files.createTempFile("kit-err", ".txt");
    Path input = Files.createTempFile("kit-in", ".txt");
    Files.writeString(input, stdin == null ? "" : stdin);
    Process p =
        new ProcessBuilder(command)
            .directory(in.toFile())
            .redirectInput(input.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    Duration limit = Duration.ofMinutes(5);
    if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end within " + limit);
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
