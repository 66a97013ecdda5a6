package io.dirpipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Each cloud's endpoints and the scopes a public-cloud client asks for, as that cloud names them.
 */
class CloudTest {
  @Test
  void usgovMovesEveryEndpointAndAudienceTogether() {
    Cloud gov = Cloud.of("usgov");
    assertThat(gov.authorityHost()).isEqualTo("https://login.microsoftonline.us");
    assertThat(gov.graph()).isEqualTo("https://graph.microsoft.us");
    assertThat(gov.scope("https://graph.microsoft.com/.default"))
        .isEqualTo("https://graph.microsoft.us/.default");
    assertThat(gov.scope("https://monitor.azure.com//.default"))
        .as("Logs Ingestion's double slash is kept")
        .isEqualTo("https://monitor.azure.us//.default");
    assertThat(gov.scope("https://management.azure.com/.default"))
        .isEqualTo("https://management.usgovcloudapi.net/.default");
    assertThat(gov.scope(Cloud.STORAGE_AUDIENCE + "/.default"))
        .isEqualTo("https://storage.azure.com/.default");
    assertThat(gov.hosts())
        .containsExactly(
            "login.microsoftonline.us",
            "graph.microsoft.us",
            "management.usgovcloudapi.net",
            "monitor.azure.us");
  }

  @Test
  void dodAndChinaHaveTheirOwnGraph() {
    assertThat(Cloud.of("usgov-dod").graph()).isEqualTo("https://dod-graph.microsoft.us");
    assertThat(Cloud.of("CHINA").scope("https://graph.microsoft.com/.default"))
        .isEqualTo("https://microsoftgraph.chinacloudapi.cn/.default");
    assertThat(Cloud.PUBLIC.scope("https://graph.microsoft.com/.default"))
        .isEqualTo("https://graph.microsoft.com/.default");
  }

  @Test
  void anUnknownCloudNamesTheKnownOnes() {
    assertThatThrownBy(() -> Cloud.of("germany"))
        .hasMessageContaining("germany")
        .hasMessageContaining("public, usgov, usgov-dod, china");
  }
}
