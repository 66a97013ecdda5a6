package io.dirpipe.cli.config;

import java.util.Map;

/**
 * Configuration values as read, before typing: key to value, and key to where the value came from.
 *
 * @param values flat keys (e.g. {@code topics.prefix}, {@code kafka.bootstrap.servers}) to raw
 *     values
 * @param origins for each key of {@code values}: the file path or the environment variable name
 */
public record LoadedConfig(Map<String, String> values, Map<String, String> origins) {
  public LoadedConfig {
    values = Map.copyOf(values);
    origins = Map.copyOf(origins);
  }
}
