package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.dirpipe.cli.config.ConfigKeys;
import io.dirpipe.cli.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Container Apps kit (deploy/containerapps/main.bicep) configures only what dirpipe knows:
 * every role's arguments parse as a dirpipe command line, and its variables load with dirpipe's
 * configuration loader (a value the Bicep computes at deployment stands in as an example of its
 * kind). No Bicep compiler runs here; this is what can be checked without Azure.
 */
class ContainerAppsKitTest {
  static final Path BICEP = Path.of("..", "deploy", "containerapps", "main.bicep");

  /** Example values for what the Bicep computes at deployment, by variable. */
  static final Map<String, String> COMPUTED =
      Map.of(
          "DIRPIPE_TENANT_ID", "11111111-2222-3333-4444-555555555555",
          "DIRPIPE_LAKE_ROOT", "abfss://lake@dirpipelake.dfs.core.windows.net/dirpipe",
          "DIRPIPE_LOGS_ENDPOINT", "https://dirpipe-x.westeurope-1.ingest.monitor.azure.com");

  @Test
  void everyRoleIsADirpipeCommandWithKnownConfiguration() throws Exception {
    String bicep = Files.readString(BICEP);
    Map<String, String> env = new LinkedHashMap<>();
    Matcher v =
        Pattern.compile("\\{ name: '(\\w+)', (value|secretRef): ('[^']*'|[^}]*) }").matcher(bicep);
    while (v.find()) {
      String value = v.group(3).trim();
      boolean literal = value.startsWith("'") && !value.contains("${");
      env.put(
          v.group(1),
          literal
              ? value.substring(1, value.length() - 1)
              : COMPUTED.getOrDefault(v.group(1), "x"));
    }
    assertThat(env).containsKeys("DIRPIPE_TENANT_ID", "DIRPIPE_METRICS_PORT", "DIRPIPE_CLIENT_ID");
    assertThatCode(() -> new ConfigLoader(ConfigKeys.all()).load(null, env))
        .as("the roles' variables")
        .doesNotThrowAnyException();

    List<List<String>> commands = new ArrayList<>();
    Matcher app = Pattern.compile("args: \\[([^\\]]*)\\]").matcher(bicep);
    while (app.find()) {
      List<String> args = new ArrayList<>();
      Matcher a = Pattern.compile("'([^']*)'").matcher(app.group(1));
      while (a.find()) {
        args.add(a.group(1));
      }
      commands.add(args);
    }
    assertThat(commands).hasSize(4);
    for (List<String> args : commands) {
      assertThatCode(() -> Main.commandLine(Map.of()).parseArgs(args.toArray(String[]::new)))
          .as("dirpipe " + String.join(" ", args))
          .doesNotThrowAnyException();
    }
    assertThat(bicep).contains("output grantCommand string = 'dirpipe grant --principal-id");
  }
}
