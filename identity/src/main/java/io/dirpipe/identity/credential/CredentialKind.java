package io.dirpipe.identity.credential;

import java.util.Locale;

/** The credential kinds of the {@code credential} configuration key. */
public enum CredentialKind {
  MANAGED_IDENTITY,
  WORKLOAD_IDENTITY,
  CLIENT_SECRET,
  CLIENT_CERTIFICATE,
  AZURE_CLI,
  DEFAULT;

  /** The configuration value, e.g. {@code managed-identity}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static CredentialKind of(String configName) {
    return valueOf(configName.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
