package io.dirpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactTest {
  @Test
  void skipDeltaAndSasTokensLeaveNoTraceInAMessage() {
    assertThat(
            Redact.queryTokens(
                "Graph answered http://127.0.0.1:1/v1.0/users?$top=999&$skiptoken=RFNwdAIAAQAAAD8"
                    + " without a body"))
        .isEqualTo(
            "Graph answered http://127.0.0.1:1/v1.0/users?$top=999&$skiptoken=[redacted] without a"
                + " body");
    assertThat(Redact.queryTokens("GET /v1.0/groups/delta?%24deltatoken=abc123&x=1"))
        .isEqualTo("GET /v1.0/groups/delta?%24deltatoken=[redacted]&x=1");
    assertThat(Redact.queryTokens("https://a.blob.core.windows.net/c/f?sv=2024&sig=Zm9v%3D&se=1"))
        .isEqualTo("https://a.blob.core.windows.net/c/f?sv=2024&sig=[redacted]&se=1");
    assertThat(Redact.queryTokens("no url here")).isEqualTo("no url here");
    assertThat(Redact.queryTokens(null)).isNull();
  }
}
