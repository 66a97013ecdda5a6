package io.dirpipe.extractor;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The extractor's settings (Graph endpoint now; collections, modes and limits with its issue). */
public final class ExtractorConfig extends AbstractConfig {
  public static final String GRAPH_URL = "graph.url";

  public static final ConfigDef DEF =
      new ConfigDef()
          .define(
              GRAPH_URL,
              Type.STRING,
              "https://graph.microsoft.com",
              Importance.LOW,
              "Microsoft Graph base URL (scheme and host). Tokens are sent to this host only.");

  public ExtractorConfig(Map<String, ?> values) {
    super(DEF, values, false);
  }

  public String graphUrl() {
    return getString(GRAPH_URL);
  }
}
