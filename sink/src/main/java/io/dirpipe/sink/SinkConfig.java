package io.dirpipe.sink;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The sinks' settings (Logs Ingestion endpoint now; DCR, streams and the lake with their issue).
 */
public final class SinkConfig extends AbstractConfig {
  public static final String LOGS_ENDPOINT = "logs.endpoint";

  public static final ConfigDef DEF =
      new ConfigDef()
          .define(
              LOGS_ENDPOINT,
              Type.STRING,
              null,
              Importance.MEDIUM,
              "Logs Ingestion endpoint: a data collection endpoint or the rule's own endpoint URL.");

  public SinkConfig(Map<String, ?> values) {
    super(DEF, values, false);
  }

  public String logsEndpoint() {
    return getString(LOGS_ENDPOINT);
  }
}
