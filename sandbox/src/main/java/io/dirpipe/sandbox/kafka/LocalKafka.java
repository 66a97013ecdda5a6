package io.dirpipe.sandbox.kafka;

import io.dirpipe.core.kafka.KafkaClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (combined KRaft broker and controller) running in this JVM. It is
 * Kafka's own server ({@code KafkaRaftServer}): transactions, compaction and consumer groups behave
 * as on a cluster, with replication factor 1. It has no authentication, so by default both its
 * listeners are bound to 127.0.0.1 only; {@link #start(Path, String, String)} binds another address
 * when other containers must reach it.
 *
 * <p>Start ~4 s, ~220 MB. Close it to stop the broker; its data is deleted unless a directory was
 * given.
 */
public final class LocalKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalKafka.class);
  private static final String LOOPBACK = "127.0.0.1";

  /** Broker settings that make a one-node cluster work and start fast. */
  static final Map<String, Object> BROKER_CONFIG =
      Map.ofEntries(
          Map.entry("offsets.topic.replication.factor", "1"),
          Map.entry("offsets.topic.num.partitions", "4"),
          Map.entry("transaction.state.log.replication.factor", "1"),
          Map.entry("transaction.state.log.min.isr", "1"),
          Map.entry("transaction.state.log.num.partitions", "4"),
          Map.entry("share.coordinator.state.topic.replication.factor", "1"),
          Map.entry("share.coordinator.state.topic.min.isr", "1"),
          Map.entry("group.initial.rebalance.delay.ms", "0"),
          Map.entry("num.partitions", "3"),
          Map.entry("auto.create.topics.enable", "true"));

  private final KafkaRaftServer server;
  private final Path dataDir;
  private final boolean deleteOnClose;
  private final String bootstrapServers;
  private boolean closed;

  private LocalKafka(
      KafkaRaftServer server, Path dataDir, boolean deleteOnClose, String bootstrapServers) {
    this.server = server;
    this.dataDir = dataDir;
    this.deleteOnClose = deleteOnClose;
    this.bootstrapServers = bootstrapServers;
  }

  /** Starts a loopback broker whose data lives in a temporary directory, deleted on close. */
  public static LocalKafka start() {
    return start(null);
  }

  /** Starts a loopback broker; data in {@code dataDir} (kept), or a temporary directory. */
  public static LocalKafka start(Path dataDir) {
    return start(dataDir, null, null);
  }

  /**
   * Starts a broker.
   *
   * @param dataDir where the broker keeps its logs (kept after close), or null for a temporary
   *     directory
   * @param listen address to bind, null for 127.0.0.1 (0.0.0.0 in a container others reach)
   * @param advertise host clients are told to connect to, null for the listen address
   * @throws IllegalStateException when the broker cannot start, with the cause
   */
  public static LocalKafka start(Path dataDir, String listen, String advertise) {
    return start(dataDir, listen, advertise, null);
  }

  /**
   * An Entra-style SASL OAUTHBEARER listener, as Azure Event Hubs' Kafka endpoint has: tokens are
   * validated with the issuer's published keys and must be for {@code audience}.
   *
   * @param jwksUrl where the token issuer publishes its keys (the sandbox's {@code jwksUrl()})
   * @param audience the {@code aud} the broker requires, e.g. {@code
   *     https://dirpipe-events.servicebus.windows.net}
   * @param issuer the {@code iss} the broker requires
   */
  public record OAuth(String jwksUrl, String audience, String issuer) {}

  /**
   * A loopback broker with a second listener taking SASL OAUTHBEARER ({@link
   * #oauthBootstrapServers()}), beside the plain one.
   */
  public static LocalKafka startWithOAuth(OAuth oauth) {
    // Kafka (4.0+) fetches only the JWKS and token URLs this property allows
    String allowed = System.getProperty("org.apache.kafka.sasl.oauthbearer.allowed.urls");
    System.setProperty(
        "org.apache.kafka.sasl.oauthbearer.allowed.urls",
        allowed == null || allowed.isBlank() ? oauth.jwksUrl() : allowed + "," + oauth.jwksUrl());
    return start(null, null, null, oauth);
  }

  private static LocalKafka start(Path dataDir, String listen, String advertise, OAuth oauth) {
    long started = System.nanoTime();
    String bind = listen == null ? LOOPBACK : listen;
    String host = advertise != null ? advertise : bind.equals("0.0.0.0") ? LOOPBACK : bind;
    Path dir;
    try {
      dir =
          dataDir != null
              ? Files.createDirectories(dataDir)
              : Files.createTempDirectory("dirpipe-kafka");
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create the broker's data directory: " + e, e);
    }
    KafkaRaftServer server = null;
    String bootstrap;
    String oauthBootstrap;
    try {
      int brokerPort = freePort(bind);
      int controllerPort = freePort(bind);
      int oauthPort = oauth == null ? -1 : freePort(bind);
      bootstrap = host + ":" + brokerPort;
      oauthBootstrap = oauth == null ? null : host + ":" + oauthPort;
      Map<String, Object> props = new HashMap<>(BROKER_CONFIG);
      props.put("process.roles", "broker,controller");
      props.put("node.id", "1");
      props.put("controller.quorum.voters", "1@" + LOOPBACK + ":" + controllerPort);
      props.put(
          "listeners",
          "PLAINTEXT://"
              + bind
              + ":"
              + brokerPort
              + ",CONTROLLER://"
              + LOOPBACK
              + ":"
              + controllerPort);
      props.put("advertised.listeners", "PLAINTEXT://" + bootstrap);
      props.put("controller.listener.names", "CONTROLLER");
      props.put("inter.broker.listener.name", "PLAINTEXT");
      props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      if (oauth != null) {
        String p = "listener.name.oauth.oauthbearer.";
        props.put("listeners", props.get("listeners") + ",OAUTH://" + bind + ":" + oauthPort);
        props.put(
            "advertised.listeners",
            props.get("advertised.listeners") + ",OAUTH://" + oauthBootstrap);
        props.put(
            "listener.security.protocol.map",
            props.get("listener.security.protocol.map") + ",OAUTH:SASL_PLAINTEXT");
        props.put("listener.name.oauth.sasl.enabled.mechanisms", "OAUTHBEARER");
        props.put(
            p + "sasl.jaas.config",
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
        props.put(
            p + "sasl.server.callback.handler.class",
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler");
        props.put(p + "sasl.oauthbearer.jwks.endpoint.url", oauth.jwksUrl());
        props.put(p + "sasl.oauthbearer.expected.audience", oauth.audience());
        props.put(p + "sasl.oauthbearer.expected.issuer", oauth.issuer());
      }
      props.put("log.dirs", dir.toAbsolutePath().toString());
      KafkaConfig config = new KafkaConfig(props, false);
      formatQuietly(dir);
      server = new KafkaRaftServer(config, org.apache.kafka.common.utils.Time.SYSTEM);
      server.startup();
      awaitReady(bootstrap);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopQuietly(server);
      throw new IllegalStateException("Interrupted while starting the local Kafka broker", e);
    } catch (Exception e) {
      stopQuietly(server);
      throw new IllegalStateException(
          "The local Kafka broker did not start"
              + (dataDir == null ? "" : " (data directory " + dataDir + ")")
              + ": "
              + e.getMessage(),
          e);
    }
    LocalKafka kafka = new LocalKafka(server, dir, dataDir == null, bootstrap);
    kafka.oauthBootstrapServers = oauthBootstrap;
    log.info(
        "Local Kafka broker ready at {} (listening on {}) in {} ms",
        bootstrap,
        bind,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    return kafka;
  }

  private String oauthBootstrapServers;

  /** The OAUTHBEARER listener's {@code bootstrap.servers} ({@link #startWithOAuth}), or null. */
  public String oauthBootstrapServers() {
    return oauthBootstrapServers;
  }

  /** The {@code bootstrap.servers} value clients use, e.g. {@code 127.0.0.1:41234}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Clients of this broker with no other settings. */
  public KafkaClients clients() {
    return KafkaClients.of(Map.of("bootstrap.servers", bootstrapServers()));
  }

  /** Stops the broker and deletes its temporary data. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
    if (deleteOnClose) {
      try {
        Utils.delete(dataDir.toFile());
      } catch (IOException e) {
        log.warn("Could not delete the broker's data directory {}: {}", dataDir, e.toString());
      }
    }
  }

  /** A port free on {@code address} now (the broker binds it a moment later). */
  private static int freePort(String address) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return s.getLocalPort();
    }
  }

  /** Waits (up to 60 s) until the broker answers a metadata request. */
  private static void awaitReady(String bootstrap) throws Exception {
    KafkaClients patient =
        KafkaClients.of(
            Map.of(
                "bootstrap.servers", bootstrap,
                "default.api.timeout.ms", 60_000,
                "request.timeout.ms", 5_000));
    try (Admin admin = patient.admin("local-kafka-ready")) {
      admin.describeCluster().nodes().get();
    }
  }

  /**
   * Formats the data directory once (a kept directory is reused as it is). Kafka's storage
   * formatter prints to the stream given; commands keep stdout for their own output (e.g. {@code
   * export} lines a shell evaluates), so its lines go to the debug log.
   */
  private static void formatQuietly(Path dir) throws Exception {
    if (Files.exists(dir.resolve("meta.properties"))) {
      return; // formatted before: its cluster id is kept (formatting again would not match it)
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    new Formatter()
        .setPrintStream(new PrintStream(captured, true, StandardCharsets.UTF_8))
        .setNodeId(1)
        .setClusterId(Uuid.randomUuid().toString())
        .setDirectories(List.of(dir.toAbsolutePath().toString()))
        .setMetadataLogDirectory(dir.toAbsolutePath().toString())
        .setControllerListenerName("CONTROLLER")
        .setReleaseVersion(MetadataVersion.latestProduction())
        .setIgnoreFormatted(true)
        .run();
    log.debug("Kafka storage format: {}", captured.toString(StandardCharsets.UTF_8).strip());
  }

  private static void stopQuietly(KafkaRaftServer server) {
    if (server == null) {
      return;
    }
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      log.debug("Ignoring failure while stopping a broker that failed to start", e);
    }
  }
}
