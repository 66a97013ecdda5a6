package io.dirpipe.core;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The Azure clouds dirpipe runs in, each with its sign-in authority, Microsoft Graph, Resource
 * Manager and Azure Monitor endpoints and token audiences (learn.microsoft.com/graph/deployments;
 * azure-identity's AzureAuthorityHosts; the Logs Ingestion audiences). One setting, {@code cloud},
 * moves them together; {@code authority.host}, {@code graph.url} and {@code arm.url} still override
 * one each. The sandbox poses as any of them.
 */
public enum Cloud {
  PUBLIC(
      "https://login.microsoftonline.com",
      "https://graph.microsoft.com",
      "https://management.azure.com",
      "https://monitor.azure.com",
      "core.windows.net"),
  /** Azure Government, Microsoft Graph for US Government L4 (GCC High). */
  USGOV(
      "https://login.microsoftonline.us",
      "https://graph.microsoft.us",
      "https://management.usgovcloudapi.net",
      "https://monitor.azure.us",
      "core.usgovcloudapi.net"),
  /** Azure Government, Microsoft Graph for US Government L5 (DoD). */
  USGOV_DOD(
      "https://login.microsoftonline.us",
      "https://dod-graph.microsoft.us",
      "https://management.usgovcloudapi.net",
      "https://monitor.azure.us",
      "core.usgovcloudapi.net"),
  /** Azure and Microsoft 365 operated by 21Vianet. */
  CHINA(
      "https://login.chinacloudapi.cn",
      "https://microsoftgraph.chinacloudapi.cn",
      "https://management.chinacloudapi.cn",
      "https://monitor.azure.cn",
      "core.chinacloudapi.cn");

  /** Storage takes the same audience in every cloud. */
  public static final String STORAGE_AUDIENCE = "https://storage.azure.com";

  private final String authorityHost;
  private final String graph;
  private final String arm;
  private final String monitor;
  private final String storageSuffix;

  Cloud(String authorityHost, String graph, String arm, String monitor, String storageSuffix) {
    this.authorityHost = authorityHost;
    this.graph = graph;
    this.arm = arm;
    this.monitor = monitor;
    this.storageSuffix = storageSuffix;
  }

  /** {@code public}, {@code usgov}, {@code usgov-dod}, {@code china}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * @throws IllegalArgumentException naming the accepted names
   */
  public static Cloud of(String name) {
    return Arrays.stream(values())
        .filter(c -> c.configName().equalsIgnoreCase(name.trim()))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "'" + name + "' is not a cloud: use one of " + names()));
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Cloud::configName).toList();
  }

  /** The Entra sign-in authority, e.g. {@code https://login.microsoftonline.us}. */
  public String authorityHost() {
    return authorityHost;
  }

  /** Microsoft Graph's base URL, which is also its token audience. */
  public String graph() {
    return graph;
  }

  /** Azure Resource Manager's base URL and audience. */
  public String arm() {
    return arm;
  }

  /** Azure Monitor's audience (Logs Ingestion). */
  public String monitor() {
    return monitor;
  }

  /** The storage endpoints' suffix: {@code <account>.blob.<suffix>}, {@code .dfs.<suffix>}. */
  public String storageSuffix() {
    return storageSuffix;
  }

  /** Event Hubs namespaces' suffix: {@code <namespace>.servicebus.windows.net}. */
  public String serviceBusSuffix() {
    return switch (this) {
      case PUBLIC -> "servicebus.windows.net";
      case USGOV, USGOV_DOD -> "servicebus.usgovcloudapi.net";
      case CHINA -> "servicebus.chinacloudapi.cn";
    };
  }

  /** The host names of this cloud's endpoints (authority, Graph, ARM, Monitor). */
  public List<String> hosts() {
    return Stream.of(authorityHost, graph, arm, monitor).map(u -> URI.create(u).getHost()).toList();
  }

  /**
   * A public-cloud token scope ({@code https://graph.microsoft.com/.default}) as this cloud names
   * it ({@code https://graph.microsoft.us/.default}); other scopes as they are.
   */
  public String scope(String publicScope) {
    if (this == PUBLIC) {
      return publicScope;
    }
    for (String[] pair :
        new String[][] {
          {PUBLIC.graph, graph},
          {PUBLIC.arm, arm},
          {"https://management.core.windows.net", arm},
          {PUBLIC.monitor, monitor}
        }) {
      if (publicScope.startsWith(pair[0] + "/")) {
        return pair[1] + publicScope.substring(pair[0].length());
      }
    }
    return publicScope;
  }
}
