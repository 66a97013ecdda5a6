package io.dirpipe.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
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

  @Test
  void restartsOnItsOwnDataDirectoryWithItsTopics(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("kafka");
    try (LocalKafka kafka = LocalKafka.start(data);
        Admin admin = kafka.clients().admin("test")) {
      admin
          .createTopics(
              java.util.List.of(new org.apache.kafka.clients.admin.NewTopic("kept", 1, (short) 1)))
          .all()
          .get();
    }
    try (LocalKafka again = LocalKafka.start(data);
        Admin admin = again.clients().admin("test")) {
      assertThat(admin.listTopics().names().get()).as("topics after a restart").contains("kept");
    }
  }

  @Test
  void nothingButLoopbackReachesTheBrokerOrItsController() throws Exception {
    InetAddress external = nonLoopbackAddress();
    assumeTrue(external != null, "this machine has no non-loopback IPv4 address to try");
    try (LocalKafka kafka = LocalKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000); // loopback: yes
      }
      for (int listening : listeningPorts(ProcessHandle.current().pid())) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(external, listening), 2_000);
          throw new AssertionError(
              "port " + listening + " of this JVM answers on " + external + ", not only loopback");
        } catch (java.net.ConnectException expected) {
          // refused: bound to loopback only
        }
      }
    }
  }

  private static InetAddress nonLoopbackAddress() throws Exception {
    for (NetworkInterface n : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!n.isUp() || n.isLoopback()) {
        continue;
      }
      for (InetAddress a : java.util.Collections.list(n.getInetAddresses())) {
        if (a instanceof java.net.Inet4Address) {
          return a;
        }
      }
    }
    return null;
  }

  /**
   * TCP ports this process listens on, from /proc (Linux); the broker's and controller's among
   * them.
   */
  private static java.util.Set<Integer> listeningPorts(long pid) throws Exception {
    java.util.Set<Long> inodes = new java.util.HashSet<>();
    try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
          }
        } catch (java.io.IOException closedMeanwhile) {
          // a descriptor closed while listed
        }
      }
    }
    java.util.Set<Integer> ports = new java.util.TreeSet<>();
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      if (!Files.exists(Path.of(table))) {
        continue;
      }
      for (String line :
          Files.readAllLines(Path.of(table))
              .subList(1, Files.readAllLines(Path.of(table)).size())) {
        String[] f = line.trim().split("\\s+");
        boolean listen = f[3].equals("0A");
        if (listen && inodes.contains(Long.parseLong(f[9]))) {
          ports.add(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
        }
      }
    }
    assertThat(ports).as("listening ports of this JVM").isNotEmpty();
    return ports;
  }
}
