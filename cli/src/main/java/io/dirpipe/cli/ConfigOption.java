package io.dirpipe.cli;

import io.dirpipe.cli.config.ConfigKeys;
import io.dirpipe.cli.config.ConfigLoader;
import io.dirpipe.cli.config.LoadedConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option every configured command shares, with the process environment
 * its {@code DIRPIPE_*} overrides come from (injected by {@link Main}).
 */
final class ConfigOption implements Main.Env {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "YAML configuration file (default: ./dirpipe.yaml when present). Every key a.b-c can be set by the variable DIRPIPE_A_B_C.")
  Path file;

  private Map<String, String> env = Map.of();

  @Override
  public void environment(Map<String, String> env) {
    this.env = env;
  }

  /** Reads the file and the environment; fails with exit code 2 on unknown keys or bad values. */
  LoadedConfig load() {
    return load(Map.of());
  }

  /** The same, with command-line options given as the variables they stand for (they win). */
  LoadedConfig load(Map<String, String> options) {
    Map<String, String> merged = new HashMap<>(env);
    merged.putAll(options);
    return new ConfigLoader(ConfigKeys.all()).load(file, merged);
  }
}
