package io.dirpipe.cli.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One role process's meters and, when a port is configured, its {@code /metrics} and {@code
 * /health} endpoint. Every meter carries the tag {@code role}.
 */
public final class Observability implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Observability.class);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MetricsConfig config;
  private final Integer roleDefaultPort;
  private final String role;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private MetricsServer server;

  /**
   * @param role the process's role ({@code extract}, {@code worker}, {@code transform}, {@code
   *     sink-lake}, {@code run}), a tag on every meter
   * @param roleDefaultPort the port when none is configured; null: no endpoint then
   */
  public Observability(String role, Map<String, ?> values, Integer roleDefaultPort) {
    this.role = role;
    this.config = new MetricsConfig(values);
    this.roleDefaultPort = roleDefaultPort;
    registry.config().commonTags("role", role);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    closeables.add(gc);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Closed with this (a lag meter's admin client, say). */
  public <T extends AutoCloseable> T own(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  /**
   * Starts the endpoint when a port is configured, logging its address.
   *
   * @return the port listened on, or -1 when none is configured
   */
  public int serve(MetricsServer.Health health) {
    Integer port = config.port(roleDefaultPort);
    if (port == null) {
      return -1;
    }
    try {
      server = new MetricsServer(config.host(), port, registry, health);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot listen on "
              + config.host()
              + ":"
              + port
              + " for /metrics and /health ("
              + e.getMessage()
              + "): set metrics.port (DIRPIPE_METRICS_PORT) to a free port, or 0 for any",
          e);
    }
    log.info(
        "dirpipe {}: metrics at http://{}:{}/metrics, health at /health/live and /health/ready",
        role,
        config.host(),
        server.port());
    return server.port();
  }

  public String host() {
    return config.host();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("close: {}", e.toString());
      }
    }
    registry.close();
  }
}
