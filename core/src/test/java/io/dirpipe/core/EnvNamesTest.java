package io.dirpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class EnvNamesTest {
  @Test
  void variableNamesDoNotDependOnTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR")); // 'i' upper-cases to 'İ' here
      assertThat(EnvNames.of("client.id")).isEqualTo("DIRPIPE_CLIENT_ID");
      assertThat(EnvNames.of("lake.inventory-interval"))
          .isEqualTo("DIRPIPE_LAKE_INVENTORY_INTERVAL");
    } finally {
      Locale.setDefault(saved);
    }
  }
}
