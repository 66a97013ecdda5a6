package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** The packaged {@code dirpipe.jar} in a child process, as a user runs it. */
class KafkaCommandIT {

  @Test
  void printsAReachableBootstrapAddressAndExitsZeroOnSigterm() throws Exception {
    Path jar = Path.of("target", "dirpipe.jar");
    assertThat(jar).exists();
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "kafka")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String first =
          CompletableFuture.supplyAsync(() -> readLine(stdout)).get(15, TimeUnit.SECONDS);
      assertThat(first).startsWith("export DIRPIPE_KAFKA_BOOTSTRAP_SERVERS=");

      String bootstrap = first.substring(first.indexOf('=') + 1);
      try (Admin admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                  10_000,
                  AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                  10_000))) {
        assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).hasSize(1);
      }

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS))
          .as("exited after SIGTERM")
          .isTrue();
      assertThat(process.exitValue()).isZero();
    } finally {
      process.destroyForcibly();
    }
    assertThat(Files.exists(jar)).isTrue();
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
