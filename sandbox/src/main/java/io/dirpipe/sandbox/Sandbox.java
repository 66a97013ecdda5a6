package io.dirpipe.sandbox;

import io.dirpipe.core.Cloud;
import io.dirpipe.core.Time;
import io.dirpipe.sandbox.arm.ArmSurface;
import io.dirpipe.sandbox.control.ControlSurface;
import io.dirpipe.sandbox.graph.GraphSurface;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.http.CloudHosts;
import io.dirpipe.sandbox.http.Faults;
import io.dirpipe.sandbox.http.LoopbackServer;
import io.dirpipe.sandbox.http.Stats;
import io.dirpipe.sandbox.identity.ManagedIdentitySurface;
import io.dirpipe.sandbox.identity.TokenEndpointSurface;
import io.dirpipe.sandbox.logs.Ingested;
import io.dirpipe.sandbox.logs.LogsIngestionSurface;
import io.dirpipe.sandbox.tenant.Identity;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.sandbox.token.TlsMaterial;
import io.dirpipe.sandbox.token.TokenIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated tenant on loopback: one http port for IMDS, the App Service identity endpoint,
 * Graph, Logs Ingestion, ARM and the control API; one https port for the Entra token endpoint, and
 * again Logs Ingestion and ARM, because azure-core sends bearer tokens over https only. Real
 * clients (azure-identity, the Graph SDK, azure-monitor-ingestion) run against it unmodified,
 * redirected by the environment of {@link #environment()}.
 */
public final class Sandbox implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sandbox.class);

  /** Streams the sandbox's data collection rule declares. */
  public static final Set<String> STREAMS =
      Set.of(
          "Custom-DirpipeChanges_CL",
          "Custom-DirpipeMemberships_CL",
          "Custom-DirpipeEdges_CL",
          "Custom-DirpipeEvents_CL",
          "Custom-DirpipeRuns_CL");

  /**
   * How to start.
   *
   * @param port http port (0: any free one)
   * @param httpsPort https port of the token endpoint, Logs Ingestion and ARM (0: any free one)
   * @param spec the tenant to generate
   * @param miRoles Graph permissions of the host's system-assigned identity
   * @param quota throttling class; null derives it from the tenant size as Graph does
   */
  public record Options(
      int port,
      int httpsPort,
      Tenant.Spec spec,
      List<String> miRoles,
      Throttle.Quota quota,
      Network network,
      Time time,
      Cloud cloud) {
    public Options(
        int port, int httpsPort, Tenant.Spec spec, List<String> miRoles, Throttle.Quota quota) {
      this(port, httpsPort, spec, miRoles, quota, Network.LOOPBACK, Time.SYSTEM, Cloud.PUBLIC);
    }

    /**
     * The sandbox posing as that cloud: tokens only for its audiences, Graph, Logs Ingestion and
     * ARM accept only those, and a request to another cloud's host name is refused (421).
     */
    public Options withCloud(Cloud c) {
      return new Options(port, httpsPort, spec, miRoles, quota, network, time, c);
    }

    /**
     * The sandbox on this time: token lifetimes, delta-token ages and the quota's refill follow it
     * (a manual time in tests, so throttling is asserted exactly).
     */
    public Options withTime(Time t) {
      return new Options(port, httpsPort, spec, miRoles, quota, network, t, cloud);
    }

    public static Options defaults(int users) {
      return new Options(
          0, 0, Tenant.Spec.forUsers(42, users), List.of("Directory.Read.All"), null);
    }

    public Options withQuota(Throttle.Quota q) {
      return new Options(port, httpsPort, spec, miRoles, q, network, time, cloud);
    }

    public Options withMiRoles(List<String> roles) {
      return new Options(port, httpsPort, spec, roles, quota, network, time, cloud);
    }

    public Options withNetwork(Network n) {
      return new Options(port, httpsPort, spec, miRoles, quota, n, time, cloud);
    }
  }

  /**
   * How other processes reach the sandbox. Defaults: loopback only, a random identity header, the
   * trust store in a temporary folder. In containers: listen on every address, advertise the
   * service name (also in the certificate), a fixed header and a shared folder for the trust store,
   * so the other services' configuration can be written down in advance.
   *
   * @param bind address to listen on, null for loopback
   * @param advertise host in the printed URLs and the certificate
   * @param identityHeader the managed-identity endpoint's secret header (emulated, not a real
   *     secret), at least 12 characters; null for a random one
   * @param outDir where the trust store is written; null for a temporary folder
   */
  public record Network(String bind, String advertise, String identityHeader, Path outDir) {
    public static final Network LOOPBACK = new Network(null, "127.0.0.1", null, null);

    public Network {
      if (identityHeader != null && identityHeader.length() < 12) {
        throw new IllegalArgumentException("The identity header needs at least 12 characters");
      }
    }
  }

  private final Tenant tenant;
  private final String advertise;
  private final TokenIssuer issuer;
  private final TlsMaterial tls;
  private final Faults faults = new Faults();
  private final Stats stats = new Stats();
  private final GraphSurface graph;
  private final Ingested ingested = new Ingested(2_000_000);
  private final Throttle throttle;
  private final LoopbackServer http;
  private final LoopbackServer https;
  private final Path workDir;
  private final Network network;
  private final String identityHeader;
  private final char[] trustStorePassword;
  private final String ruleId;
  private final Identity systemAssigned;
  private final Identity userAssigned;
  private final Identity application;
  private final java.util.Set<String> hostsSeen =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private Sandbox(Options options) throws IOException {
    long started = System.nanoTime();
    Clock clock = options.time().clock();
    this.tenant = new Tenant(options.spec(), clock);
    this.issuer = new TokenIssuer(tenant.tenantId(), clock, options.cloud());
    Network network = options.network();
    this.network = network;
    this.advertise = network.advertise();
    this.tls = TlsMaterial.generate(advertise, options.cloud().hosts());
    this.throttle =
        new Throttle(
            options.quota() != null
                ? options.quota()
                : Throttle.Quota.forUsers(options.spec().users()),
            options.time());
    if (network.identityHeader() != null) {
      this.identityHeader = network.identityHeader();
    } else {
      byte[] header = new byte[16];
      new SecureRandom().nextBytes(header);
      this.identityHeader = HexFormat.of().formatHex(header);
    }
    this.trustStorePassword = identityHeader.substring(0, 12).toCharArray();
    this.ruleId = "dcr-" + tenant.tenantId().replace("-", "");
    this.systemAssigned =
        tenant.addManagedIdentity(Identity.Type.SYSTEM_ASSIGNED, "dirpipe-host", options.miRoles());
    tenant.armReaders().add(systemAssigned.objectId());
    this.userAssigned =
        tenant.addManagedIdentity(
            Identity.Type.USER_ASSIGNED, "dirpipe-extractor", List.of("Directory.Read.All"));
    this.application =
        tenant.addApplication(
            "dirpipe-app", List.of("Directory.Read.All"), List.of(), Duration.ofDays(365));
    this.workDir =
        network.outDir() != null
            ? Files.createDirectories(network.outDir())
            : Files.createTempDirectory("dirpipe-sandbox");
    tls.writeTrustStore(trustStore(), trustStorePassword);
    tls.writePem(certificatePem());
    ArmSurface arm = new ArmSurface(tenant, issuer, stats);
    graph = new GraphSurface(tenant, issuer, throttle, faults, stats);
    LogsIngestionSurface logs =
        new LogsIngestionSurface(issuer, faults, stats, ingested, Map.of(ruleId, STREAMS));
    this.http =
        LoopbackServer.http(
            network.bind(),
            advertise,
            options.port(),
            List.of(
                new ManagedIdentitySurface(tenant, issuer, faults, stats, identityHeader),
                graph,
                logs,
                arm,
                new io.dirpipe.sandbox.identity.KeysSurface(issuer),
                new ControlSurface(tenant, issuer, faults, stats, ingested, logs, describe())));
    // azure-core sends bearer tokens over https only: Logs Ingestion and ARM clients need this
    // port. Graph is served here too (the same tenant, quota and cursors), for clients that send
    // tokens over https only, such as Microsoft's JavaScript Graph client.
    this.https =
        LoopbackServer.https(
            network.bind(),
            advertise,
            options.httpsPort(),
            tls.serverContext(),
            List.of(new TokenEndpointSurface(tenant, issuer, faults, stats), graph, logs, arm));
    CloudHosts guard = new CloudHosts(options.cloud(), hostsSeen);
    http.guard(guard);
    https.guard(guard);
    log.info(
        "Sandbox tenant {} with {} users ready at {} (token endpoint {}) in {} ms",
        tenant.tenantId(),
        options.spec().users(),
        http.baseUrl(),
        https.baseUrl(),
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  /**
   * Generates the tenant and starts both servers.
   *
   * @throws UncheckedIOException when a port cannot be bound
   */
  public static Sandbox start(Options options) {
    try {
      return new Sandbox(options);
    } catch (IOException e) {
      throw new UncheckedIOException("The sandbox did not start: " + e.getMessage(), e);
    }
  }

  private Map<String, Object> describe() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("tenantId", tenant.tenantId());
    d.put("subscriptionId", tenant.subscriptionId());
    d.put("spec", tenant.spec());
    d.put("quota", throttle.quota().name());
    d.put("dataCollectionRule", ruleId);
    d.put("streams", STREAMS);
    d.put("graphServicePrincipalId", tenant.graphServicePrincipalId());
    return d;
  }

  /**
   * What a pipeline process needs to use this sandbox, in print order: the managed-identity
   * redirects azure-identity reads, the https authority and its trust store, Graph, Logs Ingestion,
   * the tenant.
   */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DIRPIPE_SANDBOX_URL", http.baseUrl());
    env.put("DIRPIPE_GRAPH_URL", http.baseUrl());
    if (network.bind() != null) {
      // reached by other containers over plain http: the extractor must be told that is wanted
      env.put("DIRPIPE_GRAPH_ALLOW_HTTP", "true");
    }
    env.put("IDENTITY_ENDPOINT", http.baseUrl() + ManagedIdentitySurface.APP_SERVICE_PATH);
    env.put("IDENTITY_HEADER", identityHeader);
    env.put("AZURE_POD_IDENTITY_AUTHORITY_HOST", http.baseUrl());
    env.put("DIRPIPE_AUTHORITY_HOST", httpsUrl());
    env.put("DIRPIPE_INSTANCE_DISCOVERY", "false");

    env.put("DIRPIPE_TRUSTSTORE", trustStore().toString());
    env.put("DIRPIPE_TRUSTSTORE_PASSWORD", new String(trustStorePassword));
    env.put("DIRPIPE_LOGS_ENDPOINT", httpsUrl());
    env.put("DIRPIPE_LOGS_RULE_ID", dataCollectionRule());
    env.put("DIRPIPE_TENANT_ID", tenant.tenantId());
    return env;
  }

  /** Every host name clients called this sandbox by (the Host header without its port). */
  public java.util.Set<String> hostsSeen() {
    return java.util.Set.copyOf(hostsSeen);
  }

  /** The {@code iss} of the sandbox's access tokens (Entra's v1 token issuer for the tenant). */
  public String issuerUrl() {
    return "https://sts.windows.net/" + tenant.tenantId() + "/";
  }

  /** Where the token signing keys are published (JWKS), as Entra's {@code discovery/v2.0/keys}. */
  public String jwksUrl() {
    return http.baseUrl() + "/" + tenant.tenantId() + "/discovery/v2.0/keys";
  }

  public Path trustStore() {
    return workDir.resolve("sandbox-truststore.p12");
  }

  /** The sandbox's certificate as PEM, beside the trust store (for Node, curl and others). */
  public Path certificatePem() {
    return workDir.resolve("sandbox-ca.pem");
  }

  /** An SSL context that trusts the token endpoint, for clients in this JVM. */
  public SSLContext clientTls() {
    return tls.clientContext();
  }

  public String url() {
    return http.baseUrl();
  }

  /**
   * {@code https://localhost:PORT}: the authority host of client-secret and certificate
   * credentials.
   */
  public String authorityHost() {
    return httpsUrl();
  }

  /**
   * The https port's base URL: token endpoint, Logs Ingestion and ARM (azure-core requires https),
   * and Graph again for https-only clients.
   */
  public String httpsUrl() {
    return "https://"
        + (advertise.equals("127.0.0.1") ? "localhost" : advertise)
        + ":"
        + https.port();
  }

  public Tenant tenant() {
    return tenant;
  }

  public TokenIssuer issuer() {
    return issuer;
  }

  /** The Graph endpoint (tests hook {@link GraphSurface#beforeAnswer} on it). */
  public GraphSurface graph() {
    return graph;
  }

  public Faults faults() {
    return faults;
  }

  public Stats stats() {
    return stats;
  }

  public Ingested ingested() {
    return ingested;
  }

  public String dataCollectionRule() {
    return ruleId;
  }

  public Identity systemAssigned() {
    return systemAssigned;
  }

  public Identity userAssigned() {
    return userAssigned;
  }

  /** The "dirpipe-app" application: client id and secret for client-secret credentials. */
  public Identity application() {
    return application;
  }

  @Override
  public void close() {
    http.close();
    https.close();
    try {
      Files.deleteIfExists(trustStore());
      Files.deleteIfExists(workDir);
    } catch (IOException e) {
      log.debug("Could not delete {}", workDir, e);
    }
  }
}
