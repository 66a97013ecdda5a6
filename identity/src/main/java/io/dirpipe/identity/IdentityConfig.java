package io.dirpipe.identity;

import io.dirpipe.core.Cloud;
import io.dirpipe.core.TenantIds;
import io.dirpipe.identity.credential.CredentialKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Who dirpipe authenticates as, and where the directory APIs are. Secrets are {@link Password}s.
 */
public final class IdentityConfig extends AbstractConfig {
  public static final String TENANT_ID = "tenant.id";
  public static final String CREDENTIAL = "credential";
  public static final String CLIENT_ID = "client.id";
  public static final String MI_OBJECT_ID = "managed-identity.object-id";
  public static final String MI_RESOURCE_ID = "managed-identity.resource-id";
  public static final String CLIENT_SECRET = "client.secret";
  public static final String CLIENT_SECRET_FILE = "client.secret-file";
  public static final String CLIENT_CERTIFICATE = "client.certificate";
  public static final String CLIENT_CERTIFICATE_PASSWORD = "client.certificate-password";
  public static final String WORKLOAD_TOKEN_FILE = "workload.token-file";
  public static final String AUTHORITY_HOST = "authority.host";
  public static final String INSTANCE_DISCOVERY = "instance-discovery";
  public static final String TRUSTSTORE = "truststore";
  public static final String TRUSTSTORE_PASSWORD = "truststore.password";
  public static final String GRAPH_URL = "graph.url";
  public static final String GRAPH_ALLOW_HTTP = "graph.allow-http";
  public static final String ARM_URL = "arm.url";
  public static final String SUBSCRIPTION_ID = "subscription.id";
  public static final String CLOUD = "cloud";

  public static final ConfigDef DEF =
      new ConfigDef()
          .define(
              TENANT_ID,
              Type.STRING,
              null,
              (name, value) -> {
                if (value != null && !TenantIds.isValid((String) value)) {
                  // the value is not repeated: it may hold a newline that forges output lines
                  throw new ConfigException(name + " must be " + TenantIds.EXPECTED + ".");
                }
              },
              Importance.HIGH,
              "Entra tenant to extract: its id (GUID) or a verified domain name.")
          .define(
              CREDENTIAL,
              Type.STRING,
              CredentialKind.MANAGED_IDENTITY.configName(),
              ConfigDef.ValidString.in(
                  Arrays.stream(CredentialKind.values())
                      .map(CredentialKind::configName)
                      .toArray(String[]::new)),
              Importance.HIGH,
              "How to authenticate: managed-identity (system-assigned, or user-assigned with client.id,"
                  + " managed-identity.object-id or managed-identity.resource-id), workload-identity (AKS),"
                  + " client-secret, client-certificate, azure-cli, or default (DefaultAzureCredential).")
          .define(
              CLIENT_ID,
              Type.STRING,
              null,
              Importance.HIGH,
              "Client id of a user-assigned identity or an application.")
          .define(
              MI_OBJECT_ID,
              Type.STRING,
              null,
              Importance.LOW,
              "Object (principal) id of a user-assigned identity.")
          .define(
              MI_RESOURCE_ID,
              Type.STRING,
              null,
              Importance.LOW,
              "Azure resource id of a user-assigned identity.")
          .define(
              CLIENT_SECRET,
              Type.PASSWORD,
              null,
              Importance.MEDIUM,
              "Client secret (set it through DIRPIPE_CLIENT_SECRET, never in the file).")
          .define(
              CLIENT_SECRET_FILE,
              Type.STRING,
              null,
              Importance.MEDIUM,
              "File holding the client secret (e.g. a mounted Kubernetes secret).")
          .define(
              CLIENT_CERTIFICATE,
              Type.STRING,
              null,
              Importance.MEDIUM,
              "PEM (key + certificate) or PFX file of a client certificate.")
          .define(
              CLIENT_CERTIFICATE_PASSWORD,
              Type.PASSWORD,
              null,
              Importance.LOW,
              "Password of a PFX client certificate.")
          .define(
              WORKLOAD_TOKEN_FILE,
              Type.STRING,
              null,
              Importance.LOW,
              "Federated token file of workload identity (default: AZURE_FEDERATED_TOKEN_FILE).")
          .define(
              CLOUD,
              Type.STRING,
              Cloud.PUBLIC.configName(),
              (name, value) -> {
                try {
                  Cloud.of((String) value);
                } catch (IllegalArgumentException e) {
                  throw new ConfigException(name, value, e.getMessage());
                }
              },
              Importance.MEDIUM,
              "The Azure cloud: public, usgov (Graph for US Government L4, GCC High), usgov-dod"
                  + " (L5), or china (21Vianet). Sets the sign-in authority, Graph, Resource"
                  + " Manager and Monitor endpoints and the token audiences together.")
          .define(
              AUTHORITY_HOST,
              Type.STRING,
              null,
              Importance.LOW,
              "Entra authority host (https only). Default: the cloud's"
                  + " (https://login.microsoftonline.com in the public cloud).")
          .define(
              INSTANCE_DISCOVERY,
              Type.BOOLEAN,
              true,
              Importance.LOW,
              "Let msal4j discover the authority; false for a private authority such as the sandbox.")
          .define(
              TRUSTSTORE,
              Type.STRING,
              null,
              Importance.LOW,
              "PKCS#12 trust store for the authority host (the sandbox's self-signed certificate).")
          .define(
              TRUSTSTORE_PASSWORD,
              Type.PASSWORD,
              null,
              Importance.LOW,
              "Password of the trust store.")
          .define(
              GRAPH_URL,
              Type.STRING,
              null,
              Importance.LOW,
              "Microsoft Graph base URL; default: the cloud's (https://graph.microsoft.com in the"
                  + " public cloud). Graph tokens are sent to this host only, over https (plain"
                  + " http only to a loopback address such as the local sandbox, or with"
                  + " graph.allow-http).")
          .define(
              GRAPH_ALLOW_HTTP,
              Type.BOOLEAN,
              false,
              Importance.LOW,
              "Allow a plain-http graph.url on a host other than loopback (a development sandbox"
                  + " in another container). The bearer token then travels unencrypted.")
          .define(
              ARM_URL,
              Type.STRING,
              null,
              Importance.LOW,
              "Azure Resource Manager base URL; default: the cloud's.")
          .define(
              SUBSCRIPTION_ID,
              Type.STRING,
              null,
              Importance.LOW,
              "Subscription whose ARM read access `dirpipe diagnose` also checks.");

  /**
   * Keys under {@code tenants.<name>.} configure one more tenant for extraction workers: its {@code
   * tenant.id} and any identity key (e.g. {@code tenants.fabrikam.client.id}), over the base
   * values.
   */
  public static final String TENANTS_PREFIX = "tenants.";

  public IdentityConfig(Map<String, ?> values) {
    super(DEF, values, false);
  }

  /**
   * The identity settings of a tenant: the base ones when {@code tenant.id} is that tenant, else
   * those of the {@code tenants.<name>.*} block whose {@code tenant.id} it is, over the base
   * values.
   *
   * @throws ConfigException naming the tenant when no block configures it, or a block's unknown key
   */
  public static IdentityConfig forTenant(Map<String, ?> values, String tenantId) {
    if (!TenantIds.isValid(tenantId)) {
      throw new ConfigException("A task names a tenant that is not " + TenantIds.EXPECTED + ".");
    }
    if (tenantId.equals(values.get(TENANT_ID))) {
      return new IdentityConfig(values);
    }
    java.util.Set<String> names = new java.util.TreeSet<>();
    values.keySet().stream()
        .filter(k -> k.startsWith(TENANTS_PREFIX))
        .forEach(k -> names.add(k.substring(TENANTS_PREFIX.length()).split("\\.", 2)[0]));
    for (String name : names) {
      String prefix = TENANTS_PREFIX + name + ".";
      Map<String, Object> overlay = new java.util.HashMap<>();
      values.forEach(
          (k, v) -> {
            if (!k.startsWith(TENANTS_PREFIX)) {
              overlay.put(k, v);
            }
          });
      values.forEach(
          (k, v) -> {
            if (k.startsWith(prefix)) {
              String suffix = k.substring(prefix.length()).replace('-', '.');
              String key =
                  DEF.names().stream()
                      .filter(n -> n.replace('-', '.').equals(suffix))
                      .findFirst()
                      .orElseThrow(
                          () ->
                              new ConfigException(
                                  "Unknown identity key '"
                                      + k
                                      + "'; under "
                                      + prefix
                                      + " use: "
                                      + DEF.names()));
              overlay.put(key, v);
            }
          });
      if (tenantId.equals(overlay.get(TENANT_ID)) && values.containsKey(prefix + TENANT_ID)) {
        return new IdentityConfig(overlay);
      }
    }
    throw new ConfigException(
        "No configuration for tenant "
            + tenantId
            + ": set tenant.id, or tenants.<name>.tenant.id with that tenant's credential keys.");
  }

  public String tenantId() {
    return getString(TENANT_ID);
  }

  public CredentialKind credential() {
    return CredentialKind.of(getString(CREDENTIAL));
  }

  public String clientId() {
    return getString(CLIENT_ID);
  }

  /**
   * @throws ConfigException when the URL is plain http to a host that is not loopback and {@code
   *     graph.allow-http} is not set: the bearer token would travel unencrypted
   */
  public Cloud cloud() {
    return Cloud.of(getString(CLOUD));
  }

  /** {@code authority.host}, else the cloud's sign-in authority. */
  public String authorityHost() {
    String host = getString(AUTHORITY_HOST);
    return host != null ? host : cloud().authorityHost();
  }

  public String graphUrl() {
    String configured = getString(GRAPH_URL);
    String url = stripSlash(configured != null ? configured : cloud().graph());
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException(GRAPH_URL, url, "not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new ConfigException(
          GRAPH_URL, url, "must be an https URL such as https://graph.microsoft.com");
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost()) && !getBoolean(GRAPH_ALLOW_HTTP)) {
      throw new ConfigException(
          GRAPH_URL,
          url,
          "plain http would send the bearer token unencrypted: use https (http is accepted for a"
              + " loopback address such as the local sandbox; for a development sandbox on another"
              + " host set graph.allow-http=true)");
    }
    return url;
  }

  /** localhost, 127.0.0.0/8 or ::1, by name only: no lookup. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")
        || h.equals("[::1]")
        || h.equals("::1");
  }

  public String armUrl() {
    String configured = getString(ARM_URL);
    return stripSlash(configured != null ? configured : cloud().arm());
  }

  public String subscriptionId() {
    return getString(SUBSCRIPTION_ID);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
