package io.dirpipe.sandbox.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP or HTTPS server on 127.0.0.1 dispatching to surfaces by path. Port 0 picks a free port.
 */
public final class LoopbackServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LoopbackServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final String baseUrl;
  private final List<Surface> surfaces;
  private volatile java.util.function.Function<String, String> guard = host -> null;

  static {
    // Without TCP_NODELAY small answers wait for the client's delayed ACK: ~40 ms per request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private LoopbackServer(HttpServer server, String scheme, String host, List<Surface> surfaces) {
    this.server = server;
    this.surfaces = List.copyOf(surfaces);
    this.executor = Executors.newCachedThreadPool(daemonThreads(scheme));
    this.baseUrl = scheme + "://" + host + ":" + server.getAddress().getPort();
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
    server.start();
  }

  public static LoopbackServer http(int port, List<Surface> surfaces) {
    return http(null, "127.0.0.1", port, surfaces);
  }

  /**
   * @param bind address to listen on; null: loopback
   * @param host the host of {@link #baseUrl}: how clients reach it
   */
  public static LoopbackServer http(String bind, String host, int port, List<Surface> surfaces) {
    try {
      HttpServer s = HttpServer.create(address(bind, port), 256);
      return new LoopbackServer(s, "http", host, surfaces);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen on " + address(bind, port), e);
    }
  }

  public static LoopbackServer https(int port, SSLContext tls, List<Surface> surfaces) {
    return https(null, "127.0.0.1", port, tls, surfaces);
  }

  public static LoopbackServer https(
      String bind, String host, int port, SSLContext tls, List<Surface> surfaces) {
    try {
      HttpsServer s = HttpsServer.create(address(bind, port), 64);
      s.setHttpsConfigurator(new HttpsConfigurator(tls));
      return new LoopbackServer(s, "https", host, surfaces);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen on " + address(bind, port) + " (https)", e);
    }
  }

  private static InetSocketAddress address(String bind, int port) {
    return bind == null
        ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port)
        : new InetSocketAddress(bind, port);
  }

  /**
   * Checks each request's Host header before any surface: the function answers null to serve it, or
   * why it is refused (421).
   */
  public void guard(java.util.function.Function<String, String> check) {
    this.guard = check;
  }

  public String baseUrl() {
    return baseUrl;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void dispatch(HttpExchange http) {
    Exchange exchange = new Exchange(http, baseUrl);
    try {
      String refused = guard.apply(exchange.header("Host"));
      if (refused != null) {
        exchange.sendJson(
            421, Map.of("error", Map.of("code", "MisdirectedRequest", "message", refused)));
        return;
      }
      for (Surface s : surfaces) {
        if (s.owns(exchange.path())) {
          s.handle(exchange);
          return;
        }
      }
      exchange.sendJson(
          404,
          Map.of(
              "error",
              Map.of("code", "NotFound", "message", "No sandbox service at " + exchange.path())));
    } catch (IOException e) {
      log.debug("{} {}: connection failed", exchange.method(), exchange.path(), e);
      http.close();
    } catch (RuntimeException e) {
      log.warn("{} {} failed in the sandbox", exchange.method(), exchange.path(), e);
      try {
        // an answer the client can read and report, as a service's own failure would be
        exchange.sendJson(
            500,
            Map.of(
                "error",
                Map.of(
                    "code",
                    "SandboxFailure",
                    "message",
                    "The sandbox failed answering "
                        + exchange.method()
                        + " "
                        + exchange.path()
                        + ": "
                        + e)));
      } catch (IOException | RuntimeException answerBegun) {
        http.close(); // the answer had begun: all the client can get is a cut connection
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String scheme) {
    return r -> {
      Thread t = new Thread(r, "sandbox-" + scheme);
      t.setDaemon(true);
      return t;
    };
  }
}
