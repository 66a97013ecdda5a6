package io.dirpipe.identity.credential;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.identity.CredentialUnavailableException;
import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.MsalServiceException;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one classification of a failure to get a token, for every integration that asks for one:
 * transient when the token endpoint answered 408, 429 or 5xx or did not answer at all (an {@link
 * IOException} in the cause chain); permanent otherwise: an {@code AADSTS} error (unknown
 * application, wrong secret, unknown tenant, expired assertion), a credential that is not available
 * in this environment, a certificate that does not load. Retrying a permanent failure only delays
 * the message the operator needs.
 */
public final class TokenFailures {
  private static final Pattern AADSTS = Pattern.compile("AADSTS\\d{5,7}");

  private TokenFailures() {}

  /** True when {@code e} (or a cause) is a failure to get a token rather than of the request. */
  public static boolean isTokenFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ClientAuthenticationException
          || t instanceof CredentialUnavailableException
          || t instanceof MsalException) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when asking the token endpoint again may succeed: its HTTP status decides when it answered
   * (408, 429, 5xx), even if the description carries an AADSTS code; otherwise an AADSTS code or an
   * unavailable credential is permanent and a network fault transient.
   */
  public static boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof MsalServiceException s && s.statusCode() != null && s.statusCode() > 0) {
        int status = s.statusCode();
        return status == 408 || status == 429 || status >= 500;
      }
    }
    boolean network = false;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (aadsts(t.getMessage()) != null || t instanceof CredentialUnavailableException) {
        return false;
      }
      if (t instanceof IOException) {
        network = true;
      }
    }
    return network;
  }

  /** The first {@code AADSTSnnnnn} code in the failure's messages, or null. */
  public static String aadstsCode(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String code = aadsts(t.getMessage());
      if (code != null) {
        return code;
      }
    }
    return null;
  }

  private static String aadsts(String message) {
    if (message == null) {
      return null;
    }
    Matcher m = AADSTS.matcher(message);
    return m.find() ? m.group() : null;
  }
}
