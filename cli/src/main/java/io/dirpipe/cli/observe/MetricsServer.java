package io.dirpipe.cli.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} (Prometheus text format), {@code GET /health/live} (200 while the role's
 * threads work; 503 when one died: restart the process), {@code GET /health/ready} (200 once the
 * role has started and while nothing failed; 503 with what is wrong) and {@code GET /health} (the
 * same as ready), on the JDK's HTTP server.
 */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer server;

  /** A health check: null when well, else what is wrong (no exception texts: see the log). */
  public interface Check extends Supplier<String> {}

  /** The role's two checks. */
  public record Health(Check live, Check ready) {
    /** Live while the process runs; ready as {@code ready} says. */
    public static Health readyWhen(Check ready) {
      return new Health(() -> null, ready);
    }
  }

  public MetricsServer(String host, int port, PrometheusMeterRegistry registry, Health health)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.createContext(
        "/metrics",
        ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.createContext("/health/live", ex -> health(ex, health.live()));
    server.createContext("/health/ready", ex -> health(ex, both(health)));
    server.createContext("/health", ex -> health(ex, both(health)));
    server.start();
  }

  private static Check both(Health health) {
    return () -> {
      String dead = health.live().get();
      return dead != null ? dead : health.ready().get();
    };
  }

  private static void health(HttpExchange ex, Check check) throws IOException {
    String problem = check.get();
    send(
        ex,
        problem == null ? 200 : 503,
        "application/json",
        problem == null
            ? "{\"status\":\"UP\"}"
            : "{\"status\":\"DOWN\",\"reason\":\""
                + problem.replace("\\", "/").replace("\"", "'")
                + "\"}");
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
