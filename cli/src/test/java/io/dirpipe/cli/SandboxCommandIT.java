package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dirpipe.sandbox.TokenProbe;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code dirpipe sandbox} as a user runs it: a 100,000-user tenant and a broker, its printed
 * environment given to an unmodified ManagedIdentityCredential in another process, then SIGTERM.
 */
class SandboxCommandIT {
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @Test
  void printsTheEnvironmentThatRealClientsUse() throws Exception {
    Process sandbox =
        new ProcessBuilder(
                JAVA,
                "-jar",
                Path.of("target", "dirpipe.jar").toString(),
                "sandbox",
                "--users",
                "100000",
                "--kafka")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(sandbox.getInputStream(), StandardCharsets.UTF_8));
      Map<String, String> env =
          CompletableFuture.supplyAsync(() -> readExports(out)).get(120, TimeUnit.SECONDS);
      assertThat(env)
          .containsKeys(
              "DIRPIPE_SANDBOX_URL",
              "DIRPIPE_GRAPH_URL",
              "IDENTITY_ENDPOINT",
              "IDENTITY_HEADER",
              "AZURE_POD_IDENTITY_AUTHORITY_HOST",
              "DIRPIPE_AUTHORITY_HOST",
              "DIRPIPE_INSTANCE_DISCOVERY",
              "DIRPIPE_TRUSTSTORE",
              "DIRPIPE_TRUSTSTORE_PASSWORD",
              "DIRPIPE_LOGS_ENDPOINT",
              "DIRPIPE_LOGS_RULE_ID",
              "DIRPIPE_TENANT_ID",
              "DIRPIPE_KAFKA_BOOTSTRAP_SERVERS");
      env.values().forEach(v -> assertThat(v).doesNotContain("0.0.0.0"));

      JsonNode claims = TokenProbe.run(env);
      assertThat(claims.path("tid").asText()).isEqualTo(env.get("DIRPIPE_TENANT_ID"));
      assertThat(claims.path("roles").toString()).contains("Directory.Read.All");

      try (Admin admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                  env.get("DIRPIPE_KAFKA_BOOTSTRAP_SERVERS")))) {
        assertThat(admin.describeCluster().nodes().get(20, TimeUnit.SECONDS)).hasSize(1);
      }
      // Every DIRPIPE_* variable it prints is a configuration key dirpipe accepts.
      Map<String, String> dirpipeEnv = new LinkedHashMap<>(env);
      dirpipeEnv.keySet().removeIf(k -> !k.startsWith("DIRPIPE_"));
      assertThat(
              Main.run(
                  new String[] {"config"},
                  dirpipeEnv,
                  new java.io.PrintWriter(java.io.Writer.nullWriter()),
                  new java.io.PrintWriter(System.err)))
          .isZero();

      sandbox.destroy();
      assertThat(sandbox.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(sandbox.exitValue()).isZero();
    } finally {
      sandbox.destroyForcibly();
    }
  }

  private static Map<String, String> readExports(BufferedReader out) {
    Map<String, String> env = new LinkedHashMap<>();
    try {
      for (String line = out.readLine();
          line != null && !line.equals("sandbox ready");
          line = out.readLine()) {
        if (line.startsWith("export ")) {
          String assignment = line.substring("export ".length());
          env.put(
              assignment.substring(0, assignment.indexOf('=')),
              assignment.substring(assignment.indexOf('=') + 1).replaceAll("^'|'$", ""));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return env;
  }
}
