package io.dirpipe.cli.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dirpipe.core.EnvNames;
import io.dirpipe.core.kafka.TopicsConfig;
import io.dirpipe.identity.IdentityConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads the YAML file, then lets {@code DIRPIPE_*} environment variables override it: key {@code
 * a.b-c} is variable {@code DIRPIPE_A_B_C}; {@code DIRPIPE_KAFKA_X_Y} sets the Kafka client
 * property {@code kafka.x.y}. Keys and variables that match nothing fail with the name, the closest
 * known key and what to do, so a typo never silently falls back to a default.
 */
public final class ConfigLoader {
  public static final Path DEFAULT_FILE = Path.of("dirpipe.yaml");
  static final String ENV_PREFIX = EnvNames.PREFIX;

  /**
   * {@code DIRPIPE_*} variables that are not configuration: read by the launcher, Logback or the
   * tests.
   */
  static final Set<String> NOT_CONFIG =
      Set.of("DIRPIPE_JAVA_OPTS", "DIRPIPE_LOG_LEVEL", "DIRPIPE_LOG_FORMAT", "DIRPIPE_TEST_KAFKA");

  private static final String KAFKA_ENV = ENV_PREFIX + "KAFKA_";

  /**
   * azure-identity's standard variables (what AKS workload identity and most Azure hosts inject),
   * each read for a dirpipe key that neither the file nor a {@code DIRPIPE_*} variable sets.
   */
  public static final Map<String, String> AZURE_ENV =
      mapOf(
          "AZURE_TENANT_ID", IdentityConfig.TENANT_ID,
          "AZURE_CLIENT_ID", IdentityConfig.CLIENT_ID,
          "AZURE_CLIENT_SECRET", IdentityConfig.CLIENT_SECRET,
          "AZURE_CLIENT_CERTIFICATE_PATH", IdentityConfig.CLIENT_CERTIFICATE,
          "AZURE_CLIENT_CERTIFICATE_PASSWORD", IdentityConfig.CLIENT_CERTIFICATE_PASSWORD,
          "AZURE_FEDERATED_TOKEN_FILE", IdentityConfig.WORKLOAD_TOKEN_FILE,
          "AZURE_AUTHORITY_HOST", IdentityConfig.AUTHORITY_HOST);

  private static Map<String, String> mapOf(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  private final ConfigDef known;

  public ConfigLoader(ConfigDef known) {
    this.known = known;
  }

  /**
   * @param file the YAML file, or null for {@code ./dirpipe.yaml} when it exists
   * @param env the process environment
   * @throws ConfigException naming the file, key or variable at fault
   */
  public LoadedConfig load(Path file, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    Path path = file != null ? file : (Files.exists(DEFAULT_FILE) ? DEFAULT_FILE : null);
    if (path != null) {
      readYaml(path)
          .forEach(
              (k, v) -> {
                put(values, origins, k, v, path.toString());
                refuseSecret(k, v, path);
              });
    }
    env.entrySet().stream()
        .filter(e -> e.getKey().startsWith(ENV_PREFIX) && !NOT_CONFIG.contains(e.getKey()))
        .filter(e -> !isServiceLink(e.getKey(), e.getValue()))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> put(values, origins, keyOf(e.getKey()), e.getValue(), e.getKey()));
    AZURE_ENV.forEach(
        (variable, key) -> {
          String value = env.get(variable);
          if (value != null && !value.isBlank() && !values.containsKey(key)) {
            values.put(key, value);
            origins.put(key, variable);
          }
        });
    // AKS workload identity injects the token file: that is the credential meant
    if (!values.containsKey(IdentityConfig.CREDENTIAL)
        && "AZURE_FEDERATED_TOKEN_FILE".equals(origins.get(IdentityConfig.WORKLOAD_TOKEN_FILE))) {
      values.put(IdentityConfig.CREDENTIAL, "workload-identity");
      origins.put(IdentityConfig.CREDENTIAL, "AZURE_FEDERATED_TOKEN_FILE (workload identity)");
    }
    validate(values, origins);
    return new LoadedConfig(values, origins);
  }

  /**
   * Parses every declared value now, so a bad one fails at start naming its key, value and origin.
   */
  private void validate(Map<String, String> values, Map<String, String> origins) {
    values.forEach(
        (key, value) -> {
          ConfigDef.ConfigKey declared = known.configKeys().get(key);
          if (declared == null) {
            return;
          }
          try {
            Object parsed = ConfigDef.parseType(key, value, declared.type);
            if (declared.validator != null) {
              declared.validator.ensureValid(key, parsed);
            }
          } catch (ConfigException e) {
            throw new ConfigException(e.getMessage() + " (set by " + origins.get(key) + ")");
          }
        });
    known.parse(values); // required keys without a value
  }

  /**
   * A secret in the file is refused: files are shared, copied into images and committed. The
   * message names the key and where the value belongs instead.
   */
  private void refuseSecret(String key, String value, Path path) {
    if (!Secrets.isSecret(known, key, value)) {
      return;
    }
    String file = key + "-file";
    throw new ConfigException(
        "Key '"
            + key
            + "' in "
            + path
            + " holds a secret; configuration files are shared and committed, so secrets are not"
            + " read from them. Remove it from the file and set the variable "
            + envName(key)
            + (known.names().contains(file)
                ? ", or put the secret in a file of its own and set '" + file + "' to its path"
                : "")
            + " (a Kubernetes secret mounted as a file or as an environment variable).");
  }

  /**
   * True for the variables Kubernetes injects for a Service whose name starts with {@code dirpipe}
   * (docker links use the same shapes): {@code DIRPIPE_SERVICE_HOST}, {@code
   * DIRPIPE_SERVICE_PORT[_NAME]}, {@code DIRPIPE_PORT=tcp://...} and {@code
   * DIRPIPE_PORT_<n>_<TCP|UDP|SCTP>[_PROTO|_PORT|_ADDR]}, also with a longer service name ({@code
   * DIRPIPE_METRICS_SERVICE_HOST}). They are not configuration; a declared key of that shape still
   * counts as one.
   */
  boolean isServiceLink(String name, String value) {
    if (known.names().stream().anyMatch(k -> envName(k).equals(name))) {
      return false;
    }
    String rest = name.substring(ENV_PREFIX.length() - 1); // from the underscore
    return SERVICE_HOST_OR_PORT.matcher(rest).matches()
        || PORT_PROTOCOL.matcher(rest).matches()
        || (PORT_URL_NAME.matcher(rest).matches() && PORT_URL_VALUE.matcher(value).matches());
  }

  private static final java.util.regex.Pattern SERVICE_HOST_OR_PORT =
      java.util.regex.Pattern.compile("(_[A-Z0-9_]+)?_SERVICE_(HOST|PORT(_[A-Z0-9_]+)?)");
  private static final java.util.regex.Pattern PORT_PROTOCOL =
      java.util.regex.Pattern.compile(
          "(_[A-Z0-9_]+)?_PORT_\\d+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?");
  private static final java.util.regex.Pattern PORT_URL_NAME =
      java.util.regex.Pattern.compile("(_[A-Z0-9_]+)?_PORT");
  private static final java.util.regex.Pattern PORT_URL_VALUE =
      java.util.regex.Pattern.compile("(tcp|udp|sctp)://[^/]+:\\d+");

  /** The environment variable that sets a key. */
  public static String envName(String key) {
    return EnvNames.of(key);
  }

  private void put(
      Map<String, String> values,
      Map<String, String> origins,
      String key,
      String value,
      String origin) {
    if (!key.startsWith(TopicsConfig.KAFKA_PREFIX)
        && !key.startsWith(IdentityConfig.TENANTS_PREFIX)
        && !known.names().contains(key)) {

      throw new ConfigException(
          "Unknown configuration "
              + (origin.startsWith(ENV_PREFIX)
                  ? "variable " + origin
                  : "key '" + key + "' in " + origin)
              + closest(key)
              + ". Known keys: "
              + String.join(", ", new java.util.TreeSet<>(known.names()))
              + ", and kafka.* for Kafka client properties.");
    }
    values.put(key, value);
    origins.put(key, origin);
  }

  private String keyOf(String envName) {
    if (envName.startsWith(KAFKA_ENV)) {
      return TopicsConfig.KAFKA_PREFIX
          + envName.substring(KAFKA_ENV.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }
    return known.names().stream()
        .filter(k -> envName(k).equals(envName))
        .findFirst()
        .orElse(envName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'));
  }

  private String closest(String key) {
    return known.names().stream()
        .min(Comparator.comparingInt(k -> distance(k, key)))
        .filter(k -> distance(k, key) <= Math.max(2, key.length() / 3))
        .map(k -> " (did you mean '" + k + "', variable " + envName(k) + "?)")
        .orElse("");
  }

  private static Map<String, String> readYaml(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new ConfigException(
          "Configuration file " + path.toAbsolutePath() + " does not exist or is not a file.");
    }
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(path.toFile());
    } catch (JacksonException e) {
      throw new ConfigException(
          "Configuration file " + path + " is not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException("Cannot read configuration file " + path + ": " + e.getMessage());
    }
    Map<String, String> flat = new LinkedHashMap<>();
    if (root != null && !root.isMissingNode() && !root.isNull()) {
      if (!root.isObject()) {
        throw new ConfigException("Configuration file " + path + " must hold a YAML mapping.");
      }
      flatten("", root, flat, path);
    }
    return flat;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path path) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              e ->
                  flatten(
                      prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                      e.getValue(),
                      out,
                      path));
    } else if (node.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : node) {
        if (item.isContainerNode()) {
          throw new ConfigException(
              "Key '" + prefix + "' in " + path + " must be a list of plain values.");
        }
        items.add(item.asText());
      }
      out.put(prefix, String.join(",", items));
    } else if (!node.isNull()) {
      out.put(prefix, node.asText());
    }
  }

  /** Levenshtein distance, for suggestions. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
