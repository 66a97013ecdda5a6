package io.dirpipe.identity.credential;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.identity.CredentialUnavailableException;
import com.microsoft.aad.msal4j.MsalServiceException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Which token failures are worth another attempt. */
class TokenFailuresTest {
  static ClientAuthenticationException wrapped(Throwable cause) {
    return new ClientAuthenticationException("token", null, new ExecutionException(cause));
  }

  static MsalServiceException answered(int status, String message) {
    return new MsalServiceException(message, "error") {
      @Override
      public Integer statusCode() {
        return status;
      }
    };
  }

  @Test
  void aTokenEndpointThatFailsOrThrottlesIsTransient() {
    assertThat(TokenFailures.isTransient(wrapped(answered(500, "server error")))).isTrue();
    assertThat(TokenFailures.isTransient(wrapped(answered(503, "unavailable")))).isTrue();
    assertThat(TokenFailures.isTransient(wrapped(answered(429, "slow down")))).isTrue();
    assertThat(TokenFailures.isTransient(wrapped(new ConnectException("refused")))).isTrue();
    assertThat(
            TokenFailures.isTransient(
                new ClientAuthenticationException(
                    "AADSTS90033: A transient error has occurred.",
                    null,
                    answered(503, "AADSTS90033: A transient error has occurred."))))
        .as("the status decides, not the AADSTS code in the description")
        .isTrue();
  }

  @Test
  void anAadstsErrorOrAnUnavailableCredentialIsPermanent() {
    ClientAuthenticationException unknownApp =
        wrapped(
            answered(
                400,
                "AADSTS700016: Application with identifier 'x' was not found in the directory"));
    assertThat(TokenFailures.isTransient(unknownApp)).isFalse();
    assertThat(TokenFailures.aadstsCode(unknownApp)).isEqualTo("AADSTS700016");
    assertThat(
            TokenFailures.isTransient(
                new RuntimeException(
                    new IOException("AADSTS7000215: Invalid client secret provided."))))
        .as("an AADSTS code is permanent even when the chain holds an IOException")
        .isFalse();
    assertThat(TokenFailures.isTransient(new CredentialUnavailableException("no MI endpoint")))
        .isFalse();
    assertThat(TokenFailures.isTransient(new IllegalStateException("bug"))).isFalse();
    assertThat(TokenFailures.isTokenFailure(unknownApp)).isTrue();
    assertThat(TokenFailures.isTokenFailure(new IOException("reset"))).isFalse();
  }
}
