package org.apache.iceberg.rest;

import io.dirpipe.sink.iceberg.LocalFileIO;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Iceberg's own REST catalog server (the one Iceberg's REST compatibility kit runs: {@code
 * RESTCatalogServer} over a JDBC catalog, from {@code iceberg-open-api}'s test fixtures) on a free
 * loopback port, its catalog in a SQLite file beside the warehouse. In Iceberg's package: its
 * configurable constructor is package-private.
 */
public final class RestCatalogFixture implements AutoCloseable {
  private final RESTCatalogServer server;
  private final String uri;

  private RestCatalogFixture(RESTCatalogServer server, String uri) {
    this.server = server;
    this.uri = uri;
  }

  public static RestCatalogFixture start(Path warehouse) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> config = new HashMap<>();
    config.put(RESTCatalogServer.REST_PORT, Integer.toString(port));
    config.put("uri", "jdbc:sqlite:" + warehouse.resolve("rest-catalog.db"));
    config.put("warehouse", warehouse.toUri().toString());
    config.put("io-impl", LocalFileIO.class.getName());
    RESTCatalogServer server = new RESTCatalogServer(config);
    server.start(false);
    return new RestCatalogFixture(server, "http://127.0.0.1:" + port);
  }

  public String uri() {
    return uri;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
