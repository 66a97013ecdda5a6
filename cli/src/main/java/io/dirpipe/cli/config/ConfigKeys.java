package io.dirpipe.cli.config;

import io.dirpipe.core.kafka.TopicsConfig;
import io.dirpipe.identity.IdentityConfig;
import io.dirpipe.sandbox.SandboxConfig;
import io.dirpipe.sink.SinkConfig;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/** Every configuration key dirpipe knows: the union of the modules' declarations. */
public final class ConfigKeys {
  private ConfigKeys() {}

  /** The declarations of every module, one per typed config. */
  static final List<ConfigDef> MODULES =
      List.of(
          TopicsConfig.DEF,
          IdentityConfig.DEF,
          io.dirpipe.extractor.ExtractorConfig.DEF,
          io.dirpipe.transformer.TransformerConfig.DEF,
          io.dirpipe.cli.run.RunConfig.DEF,
          io.dirpipe.cli.observe.MetricsConfig.DEF,
          SinkConfig.DEF,
          SandboxConfig.DEF);

  /**
   * All declared keys in one definition (the {@code kafka.*} pass-through keys are not declared).
   */
  public static ConfigDef all() {
    ConfigDef all = new ConfigDef();
    for (ConfigDef def : MODULES) {
      def.configKeys().values().forEach(all::define);
    }
    return all;
  }
}
