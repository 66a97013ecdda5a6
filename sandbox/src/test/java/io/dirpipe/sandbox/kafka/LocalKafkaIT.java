package io.dirpipe.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaIT {

  @Test
  void startsOnLoopbackServesClientsAndStopsCleanly(@TempDir Path dir) throws Exception {
    String bootstrap;
    try (LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"))) {
      bootstrap = kafka.bootstrapServers();
      assertThat(bootstrap).matches("(localhost|127\\.0\\.0\\.1):\\d+");
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        assertThat(admin.describeCluster().nodes().get()).hasSize(1);
      }
    }
    assertThat(Files.list(dir.resolve("kafka")))
        .as("data kept in the given directory")
        .isNotEmpty();
    int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      throw new AssertionError("broker still listening on " + port + " after close");
    } catch (java.io.IOException expected) {
      // nothing listens any more
    }
  }
}
