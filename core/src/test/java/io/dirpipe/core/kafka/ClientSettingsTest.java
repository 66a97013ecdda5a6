package io.dirpipe.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {
  @Test
  void theConfigurationOverridesDefaultsButNotWhatAGuaranteeNeeds() {
    ClientSettings s =
        ClientSettings.of("extractor-users")
            .withDefault("linger.ms", 5)
            .withDefault("batch.size", 262144)
            .require("enable.idempotence", true)
            .require("transactional.id", "dirpipe-extractor-t-users");
    Map<String, Object> merged =
        s.over(
            Map.of(
                "bootstrap.servers",
                "b:9092",
                "linger.ms",
                50,
                "enable.idempotence",
                false,
                "transactional.id",
                "mine"));
    assertThat(merged)
        .containsEntry("bootstrap.servers", "b:9092")
        .containsEntry("linger.ms", 50)
        .containsEntry("batch.size", 262144)
        .containsEntry("enable.idempotence", true)
        .containsEntry("transactional.id", "dirpipe-extractor-t-users")
        .containsEntry("client.id", "extractor-users");
  }

  @Test
  void aConfiguredClientIdPrefixesEachClientsOwn() {
    assertThat(ClientSettings.of("lake").over(Map.of("client.id", "pod-7")))
        .containsEntry("client.id", "pod-7-lake");
  }
}
