package io.dirpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dirpipe.cli.config.ConfigKeys;
import io.dirpipe.cli.config.ConfigLoader;
import io.dirpipe.cli.config.LoadedConfig;
import io.dirpipe.cli.config.Secrets;
import io.dirpipe.core.kafka.TopicsConfig;
import io.dirpipe.identity.IdentityConfig;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dirpipe config}: the effective configuration, where each value came from, secrets hidden.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Validates the configuration and prints every key with its effective value and origin"
          + " (default, the file, or the DIRPIPE_* variable). Secrets print as [hidden].",
      "Every key a.b-c can be set by the variable DIRPIPE_A_B_C; Kafka client properties go under"
          + " kafka.* (variable DIRPIPE_KAFKA_BOOTSTRAP_SERVERS sets kafka.bootstrap.servers)."
    })
final class ConfigCommand implements Callable<Integer> {
  static final String HIDDEN = "[hidden]";

  @Spec CommandSpec spec;

  @Mixin ConfigOption config;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ConfigDef known = ConfigKeys.all();
    LoadedConfig loaded = config.load();
    Map<String, String[]> rows = new TreeMap<>();
    known
        .configKeys()
        .forEach(
            (name, key) -> {
              String value = loaded.values().get(name);
              String shown =
                  key.type == ConfigDef.Type.PASSWORD && value != null
                      ? HIDDEN
                      : value != null ? value : String.valueOf(key.defaultValue);
              rows.put(name, new String[] {shown, loaded.origins().getOrDefault(name, "default")});
            });
    loaded.values().keySet().stream()
        .filter(k -> k.startsWith(TopicsConfig.KAFKA_PREFIX))
        .forEach(
            k ->
                rows.put(
                    k,
                    new String[] {
                      Secrets.isKafkaSecret(k.substring(TopicsConfig.KAFKA_PREFIX.length()))
                          ? HIDDEN
                          : loaded.values().get(k),
                      loaded.origins().get(k)
                    }));
    print(rows, spec.commandLine().getOut());
    if (loaded.values().get(IdentityConfig.TENANT_ID) == null) {
      spec.commandLine()
          .getErr()
          .println(
              "dirpipe: configuration incomplete: tenant.id is not set; every command that reads"
                  + " the directory needs it. Set "
                  + ConfigLoader.envName(IdentityConfig.TENANT_ID)
                  + " (or tenant.id in the file) to the tenant's id or verified domain.");
      return Main.USAGE;
    }
    return Main.OK;
  }

  private void print(Map<String, String[]> rows, PrintWriter out) throws Exception {
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      rows.forEach((k, v) -> root.putObject(k).put("value", v[0]).put("origin", v[1]));
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
      return;
    }
    int width = rows.keySet().stream().mapToInt(String::length).max().orElse(10);
    rows.forEach((k, v) -> out.printf("%-" + width + "s  %-40s  %s%n", k, v[0], v[1]));
  }
}
