package io.dirpipe.cli.observe;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Where a long-running role serves {@code /metrics} and {@code /health}: {@code metrics.host} and
 * {@code metrics.port} ({@code DIRPIPE_METRICS_PORT}). {@code run.metrics-host} and {@code
 * run.metrics-port} are older names of the same keys, read when the new ones are not set.
 */
public final class MetricsConfig extends AbstractConfig {
  public static final String HOST = "metrics.host";
  public static final String PORT = "metrics.port";
  static final String OLD_HOST = "run.metrics-host";
  static final String OLD_PORT = "run.metrics-port";

  public static final ConfigDef DEF =
      new ConfigDef()
          .define(
              HOST,
              Type.STRING,
              null,
              Importance.LOW,
              "Address /metrics and /health listen on (default 127.0.0.1, loopback); 0.0.0.0 in a"
                  + " pod or container, where the scraper and the probes come from outside.")
          .define(
              PORT,
              Type.INT,
              null,
              (name, value) -> {
                if (value != null) {
                  ConfigDef.Range.between(0, 65535).ensureValid(name, value);
                }
              },
              Importance.MEDIUM,
              "Port of /metrics (Prometheus), /health/live and /health/ready of extract --follow,"
                  + " extract --worker, transform, sink and run (0: any free port, logged at"
                  + " start). Unset: no endpoint, except dirpipe run, which listens on 9464.");

  public MetricsConfig(Map<String, ?> values) {
    super(DEF, values, false);
  }

  /** The configured host, else the older key's, else loopback. */
  public String host() {
    String host = getString(HOST);
    if (host == null) {
      Object old = originals().get(OLD_HOST);
      host = old == null ? "127.0.0.1" : old.toString();
    }
    return host;
  }

  /** The configured port, else the older key's, else {@code roleDefault} (null: no endpoint). */
  public Integer port(Integer roleDefault) {
    Integer port = getInt(PORT);
    if (port == null) {
      Object old = originals().get(OLD_PORT);
      port = old == null ? roleDefault : Integer.valueOf(old.toString().trim());
    }
    return port;
  }
}
