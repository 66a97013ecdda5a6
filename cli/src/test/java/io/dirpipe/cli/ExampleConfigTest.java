package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.cli.config.ConfigKeys;
import io.dirpipe.cli.config.ConfigLoader;
import io.dirpipe.cli.config.LoadedConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The annotated example configuration is a valid configuration. */
class ExampleConfigTest {
  @Test
  void dirpipeExampleYamlLoads() {
    LoadedConfig c =
        new ConfigLoader(ConfigKeys.all()).load(Path.of("..", "dirpipe.example.yaml"), Map.of());
    assertThat(c.values())
        .containsEntry("credential", "managed-identity")
        .containsEntry("lake.root", "abfss://lake@dirpipestorage.dfs.core.windows.net/dirpipe")
        .containsEntry("kafka.security.protocol", "SASL_SSL")
        .containsEntry("run.roles", "extract,transform,lake,loganalytics");
  }
}
