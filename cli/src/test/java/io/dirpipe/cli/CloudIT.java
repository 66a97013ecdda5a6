package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.Cloud;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * dirpipe in the US Government cloud, against the sandbox posing as it: the packaged jar resolves
 * the cloud's host names to the sandbox (a hosts file, {@code jdk.net.hosts.file}), and the sandbox
 * issues tokens only for usgov audiences, accepts only those, and refuses requests to the public
 * cloud's hosts. With {@code cloud: usgov} an extraction gets its tokens from
 * login.microsoftonline.us and reads Graph at graph.microsoft.us, and no other host is called; with
 * the public cloud's audience or host it fails, naming why.
 */
@ExtendWith(KafkaExtension.class)
class CloudIT {
  static final int USERS = 150;

  @TempDir Path dir;

  @Test
  void usgovGetsTokensForAndCallsOnlyTheUsgovHosts(TestKafka kafka) throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(
            Sandbox.Options.defaults(USERS).withQuota(Throttle.Quota.OFF).withCloud(Cloud.USGOV))) {
      int port = URI.create(sandbox.httpsUrl()).getPort();
      Path hosts = dir.resolve("hosts");
      // the usgov hosts, and graph.microsoft.com to see the sandbox refuse a public one
      Files.writeString(
          hosts,
          "127.0.0.1 "
              + String.join(" ", Cloud.USGOV.hosts())
              + " graph.microsoft.com login.microsoftonline.com\n");
      String prefix = "gov" + UUID.randomUUID().toString().substring(0, 6) + ".";
      Map<String, String> env = PackagedDirpipe.extractorEnv(sandbox, kafka, prefix);
      env.put("DIRPIPE_CLOUD", "usgov");
      env.put("DIRPIPE_AUTHORITY_HOST", "https://login.microsoftonline.us:" + port);
      env.put("DIRPIPE_GRAPH_URL", "https://graph.microsoft.us:" + port);
      env.put("DIRPIPE_EXTRACT_COLLECTIONS", "users");

      Result gov = extract(env, hosts, "usgov");
      assertThat(gov.code()).as(gov.log()).isZero();
      JsonNode run = new ObjectMapper().readTree(gov.out()).path("runs").get(0);
      assertThat(run.path("status").asText()).isEqualTo("completed");
      assertThat(run.path("records").asLong()).isEqualTo(USERS);
      assertThat(sandbox.hostsSeen())
          .as("hosts dirpipe called")
          .containsExactlyInAnyOrder("login.microsoftonline.us", "graph.microsoft.us");

      // Graph over plain http to a host that is not loopback, as a development sandbox in another
      // container is reached (graph.allow-http): the token still goes to that host only
      Map<String, String> http = new java.util.HashMap<>(env);
      http.put(
          "DIRPIPE_GRAPH_URL", "http://graph.microsoft.us:" + URI.create(sandbox.url()).getPort());
      http.put("DIRPIPE_GRAPH_ALLOW_HTTP", "true");
      Result plain = extract(http, hosts, "plain-http");
      assertThat(plain.code()).as(plain.log()).isZero();
      assertThat(
              new ObjectMapper().readTree(plain.out()).path("runs").get(0).path("status").asText())
          .isEqualTo("completed");

      // the public cloud's audience: the usgov token service refuses it
      env.put("DIRPIPE_CLOUD", "public");
      Result publicScope = extract(env, hosts, "public-scope");
      assertThat(publicScope.code()).as(publicScope.log()).isNotZero();
      assertThat(publicScope.out() + publicScope.log()).contains("AADSTS500011");

      // the public cloud's Graph host: its TLS name is not the usgov service's, so the run fails
      // before a request is sent (were one sent, the sandbox would refuse it: CloudHostsTest)
      env.put("DIRPIPE_CLOUD", "usgov");
      env.put("DIRPIPE_GRAPH_URL", "https://graph.microsoft.com:" + port);
      Result publicHost = extract(env, hosts, "public-host");
      assertThat(publicHost.code()).as(publicHost.log()).isNotZero();
      assertThat(publicHost.out()).contains("graph.microsoft.com").contains("failed");
      assertThat(sandbox.hostsSeen())
          .as("no request reached the sandbox under a public cloud host")
          .doesNotContain("graph.microsoft.com", "login.microsoftonline.com");
    }
  }

  record Result(int code, String out, String log) {}

  private Result extract(Map<String, String> env, Path hosts, String name) throws Exception {
    ProcessBuilder pb = PackagedDirpipe.command(env, "extract", "--json");
    List<String> command = new java.util.ArrayList<>(pb.command());
    command.add(1, "-Djdk.net.hosts.file=" + hosts);
    pb.command(command);
    Path out = dir.resolve(name + ".out");
    Path log = dir.resolve(name + ".log");
    Process p = pb.redirectOutput(out.toFile()).redirectError(log.toFile()).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(name + " finished").isTrue();
    return new Result(p.exitValue(), Files.readString(out), Files.readString(log));
  }
}
