package io.dirpipe.sink.loganalytics;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirpipe.core.ManualTime;
import io.dirpipe.schemas.Topics;
import io.dirpipe.sink.SinkConfig;
import io.dirpipe.sink.SinkStats;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class LogAnalyticsConfigTest {
  @Test
  void aMissingSettingIsNamedByAVariableOneCanSetInAnyLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR")); // "rule-id" upper-cases to "RULE-İD" here
      assertThatThrownBy(
              () ->
                  LogAnalyticsSink.create(
                      new SinkConfig(Map.of(SinkConfig.LOGS_ENDPOINT, "https://dce.example.com")),
                      null,
                      null,
                      new Topics("t."),
                      null,
                      new SinkStats(),
                      new ManualTime()))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("DIRPIPE_LOGS_RULE_ID");
    } finally {
      Locale.setDefault(saved);
    }
  }
}
