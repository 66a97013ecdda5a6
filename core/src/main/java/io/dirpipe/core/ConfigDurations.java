package io.dirpipe.core;

import java.time.Duration;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Duration keys of the configuration, declared and read one way: a {@code Type.STRING} key whose
 * value is {@link Durations#parseConfig} text (ISO-8601 such as {@code PT5M}, or {@code 5s}, or
 * milliseconds), whose default is written in ISO-8601, and whose {@link #validator} refuses at
 * start, naming the key, a value that is no duration or is below the minimum.
 */
public final class ConfigDurations {
  /** Appended to each duration key's documentation. */
  public static final String DOC = " A duration: ISO-8601 (PT30S, PT5M, P7D); 30s, 5m, 7d also do.";

  private ConfigDurations() {}

  /** Accepts a duration of at least {@code min}. */
  public static ConfigDef.Validator validator(Duration min) {
    return (key, value) -> parse(key, value, min);
  }

  /** The value of a duration key. */
  public static Duration get(AbstractConfig config, String name) {
    return parse(name, config.getString(name), Duration.ZERO);
  }

  private static Duration parse(String key, Object value, Duration min) {
    if (value == null) {
      throw new ConfigException(key, null, "a duration is required: " + Durations.EXPECTED);
    }
    Duration d;
    try {
      d = Durations.parseConfig(value.toString());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, value, "not a duration: use " + Durations.EXPECTED);
    }
    if (d.compareTo(min) < 0) {
      throw new ConfigException(key, value, "must be at least " + Durations.iso(min));
    }
    return d;
  }
}
