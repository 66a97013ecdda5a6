package io.dirpipe.cli;

import io.dirpipe.cli.config.ConfigKeys;
import io.dirpipe.cli.config.ConfigLoader;
import io.dirpipe.cli.config.LoadedConfig;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every configured command shares. */
final class ConfigOption {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "YAML configuration file (default: ./dirpipe.yaml when present). Every key a.b-c can be set by the variable DIRPIPE_A_B_C.")
  Path file;

  /** Reads the file and the environment; fails with exit code 2 on unknown keys or bad values. */
  LoadedConfig load(Map<String, String> env) {
    return new ConfigLoader(ConfigKeys.all()).load(file, env);
  }
}
