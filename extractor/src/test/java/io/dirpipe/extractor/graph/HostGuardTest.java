package io.dirpipe.extractor.graph;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostGuardTest {
  final HostGuard guard = new HostGuard("https://graph.microsoft.com");

  @Test
  void followsLinksOfTheConfiguredHostOnly() {
    assertThatCode(() -> guard.check("https://graph.microsoft.com/v1.0/users?$skiptoken=abc"))
        .doesNotThrowAnyException();
    assertThatCode(() -> guard.check("https://GRAPH.microsoft.com:443/v1.0/users"))
        .doesNotThrowAnyException();
    for (String bad :
        new String[] {
          "https://evil.example/v1.0/users",
          "http://graph.microsoft.com/v1.0/users",
          "https://graph.microsoft.com:8443/v1.0/users",
          "https://graph.microsoft.com.evil.example/x"
        }) {
      assertThatThrownBy(() -> guard.check(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              GraphFailure.class,
              f ->
                  org.assertj.core.api.Assertions.assertThat(f.kind())
                      .isEqualTo(GraphFailure.Kind.PERMANENT))
          .hasMessageContaining("No request was sent");
    }
  }
}
