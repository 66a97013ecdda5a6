package io.dirpipe.sandbox;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * How a dirpipe process reaches a running sandbox's control API (set by the sandbox's printed env).
 */
public final class SandboxConfig extends AbstractConfig {
  public static final String SANDBOX_URL = "sandbox.url";

  public static final ConfigDef DEF =
      new ConfigDef()
          .define(
              SANDBOX_URL,
              Type.STRING,
              null,
              Importance.LOW,
              "Base URL of a running dirpipe sandbox.");

  public SandboxConfig(Map<String, ?> values) {
    super(DEF, values, false);
  }

  public String url() {
    return getString(SANDBOX_URL);
  }
}
