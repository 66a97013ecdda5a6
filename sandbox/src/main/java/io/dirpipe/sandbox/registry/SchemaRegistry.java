package io.dirpipe.sandbox.registry;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.sandbox.http.LoopbackServer;
import java.util.List;

/**
 * A Confluent-API schema registry on its own port, its state in the {@code _schemas} topic of the
 * given broker (or in memory when none is given, for unit tests). {@code dirpipe kafka} and {@code
 * dirpipe sandbox --kafka} run one beside their broker.
 */
public final class SchemaRegistry implements AutoCloseable {
  private final LoopbackServer server;
  private final SchemasTopic log;

  private SchemaRegistry(LoopbackServer server, SchemasTopic log) {
    this.server = server;
    this.log = log;
  }

  /**
   * @param kafka the broker whose {@code _schemas} topic holds the state; null: in memory
   * @param bind address to listen on, null for loopback
   * @param host how clients reach it (the URL's host)
   * @param port 0 for a free one
   */
  public static SchemaRegistry start(KafkaClients kafka, String bind, String host, int port) {
    SchemasTopic log = kafka == null ? null : new SchemasTopic(kafka);
    Subjects subjects = new Subjects();
    if (log != null) {
      log.load(subjects);
    }
    RegistrySurface surface = new RegistrySurface(subjects, log);
    return new SchemaRegistry(LoopbackServer.http(bind, host, port, List.of(surface)), log);
  }

  /** A registry on a free loopback port. */
  public static SchemaRegistry start(KafkaClients kafka) {
    return start(kafka, null, "127.0.0.1", 0);
  }

  /** The URL clients use, e.g. {@code http://127.0.0.1:41000}. */
  public String url() {
    return server.baseUrl();
  }

  @Override
  public void close() {
    server.close();
    if (log != null) {
      log.close();
    }
  }
}
