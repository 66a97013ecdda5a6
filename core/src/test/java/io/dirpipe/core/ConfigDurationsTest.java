package io.dirpipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Duration keys take ISO-8601, a number and a unit, or milliseconds; bad values name the key. */
class ConfigDurationsTest {
  private static final ConfigDef DEF =
      new ConfigDef()
          .define(
              "x.interval",
              Type.STRING,
              Durations.iso(Duration.ofMinutes(5)),
              ConfigDurations.validator(Duration.ofMillis(100)),
              Importance.LOW,
              "An interval." + ConfigDurations.DOC);

  private static Duration of(String value) {
    AbstractConfig c =
        new AbstractConfig(DEF, value == null ? Map.of() : Map.of("x.interval", value), false);
    return ConfigDurations.get(c, "x.interval");
  }

  @Test
  void everyFormReadsTheSame() {
    assertThat(of(null)).isEqualTo(Duration.ofMinutes(5));
    assertThat(DEF.defaultValues()).containsEntry("x.interval", "PT5M");
    assertThat(of("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThat(of("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(of("300000")).isEqualTo(Duration.ofMinutes(5));
    assertThat(of("300s")).isEqualTo(Duration.ofMinutes(5));
    assertThat(of("P1D")).isEqualTo(Duration.ofDays(1));
    assertThat(of("500ms")).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aBadValueNamesTheKeyAndTheForms() {
    assertThatThrownBy(() -> of("5 minutes"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("x.interval")
        .hasMessageContaining("PT5M");
    assertThatThrownBy(() -> of("50ms"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("x.interval")
        .hasMessageContaining("at least PT0.1S");
  }
}
