package io.dirpipe.core.kafka;

import java.util.HashMap;
import java.util.Map;

/**
 * What one client adds to the configured {@code kafka.*} properties: its client id (prefixed with
 * the configured {@code client.id}, when there is one, so a deployment can tell its processes
 * apart), defaults that the configuration may override (batching, poll sizes), and settings its
 * guarantees need, which override the configuration (transactional id, isolation level, manual
 * commits).
 */
public record ClientSettings(
    String clientId, Map<String, Object> defaults, Map<String, Object> required) {
  public ClientSettings {
    defaults = Map.copyOf(defaults);
    required = Map.copyOf(required);
  }

  public static ClientSettings of(String clientId) {
    return new ClientSettings(clientId, Map.of(), Map.of());
  }

  /** A setting the configuration may override. */
  public ClientSettings withDefault(String key, Object value) {
    Map<String, Object> d = new HashMap<>(defaults);
    d.put(key, value);
    return new ClientSettings(clientId, d, required);
  }

  /** A setting this client's guarantees depend on: the configuration cannot change it. */
  public ClientSettings require(String key, Object value) {
    Map<String, Object> r = new HashMap<>(required);
    r.put(key, value);
    return new ClientSettings(clientId, defaults, r);
  }

  /** The properties of the client: defaults, then the configuration, then required settings. */
  public Map<String, Object> over(Map<String, Object> configured) {
    Map<String, Object> merged = new HashMap<>(defaults);
    merged.putAll(configured);
    merged.putAll(required);
    Object base = configured.get("client.id");
    merged.put("client.id", base == null ? clientId : base + "-" + clientId);
    return merged;
  }
}
