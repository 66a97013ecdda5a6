package io.dirpipe.identity;

/**
 * The Azure resources dirpipe requests tokens for, each named once with its {@code .default} scope.
 */
public enum Audience {
  GRAPH("https://graph.microsoft.com/.default"),
  ARM("https://management.azure.com/.default"),
  /** Logs Ingestion. Note the double slash: the resource is {@code https://monitor.azure.com/}. */
  MONITOR("https://monitor.azure.com//.default"),
  STORAGE("https://storage.azure.com/.default"),
  KEY_VAULT("https://vault.azure.net/.default"),
  LOG_ANALYTICS("https://api.loganalytics.io/.default");

  private final String scope;

  Audience(String scope) {
    this.scope = scope;
  }

  public String scope() {
    return scope;
  }
}
