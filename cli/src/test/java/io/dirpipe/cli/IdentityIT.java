package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dirpipe.identity.Audience;
import io.dirpipe.identity.IdentityConfig;
import io.dirpipe.identity.credential.CachingCredential;
import io.dirpipe.identity.credential.Credentials;
import io.dirpipe.identity.diagnose.Diagnosis;
import io.dirpipe.identity.diagnose.Probe;
import io.dirpipe.identity.diagnose.Verdict;
import io.dirpipe.identity.graph.ApiClient;
import io.dirpipe.identity.token.TokenClaims;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.SandboxClients;
import io.dirpipe.sandbox.tenant.Identity;
import io.dirpipe.sandbox.token.TlsMaterial;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * diagnose and grant against the sandbox, with every credential kind azure-identity offers here.
 */
class IdentityIT {
  static Sandbox sandbox;
  static Identity admin;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(Sandbox.Options.defaults(300).withMiRoles(List.of("User.Read.All")));
    admin =
        sandbox
            .tenant()
            .addApplication(
                "grant-admin",
                List.of("Application.Read.All", "AppRoleAssignment.ReadWrite.All"),
                List.of(),
                Duration.ofDays(1));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  /**
   * The sandbox's printed environment, as configuration (the DIRPIPE_* part) plus credential
   * settings.
   */
  static Map<String, String> env(String... more) {
    Map<String, String> env = new HashMap<>();
    sandbox
        .environment()
        .forEach(
            (k, v) -> {
              if (k.startsWith("DIRPIPE_")) {
                env.put(k, v);
              }
            });
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  static Map<String, String> asApp(Identity app) {
    return env(
        "DIRPIPE_CREDENTIAL",
        "client-secret",
        "DIRPIPE_CLIENT_ID",
        app.clientId(),
        "DIRPIPE_CLIENT_SECRET",
        app.secrets().get(0).value());
  }

  record Run(int code, String out, String err) {}

  static Run dirpipe(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  /**
   * The packaged jar in a child process whose whole environment comes from the sandbox: the real MI
   * path.
   */
  static Run child(Map<String, String> extra, String... args) throws Exception {
    Map<String, String> env = new HashMap<>(sandbox.environment());
    env.putAll(extra);
    // output goes to files, not pipes: a child that writes more than a pipe holds cannot block
    Path outFile = Files.createTempFile("dirpipe-child", ".out");
    Path errFile = Files.createTempFile("dirpipe-child", ".err");
    try {
      Process p =
          PackagedDirpipe.command(env, args)
              .redirectOutput(outFile.toFile())
              .redirectError(errFile.toFile())
              .start();
      boolean done = p.waitFor(90, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
      }
      return new Run(
          done ? p.exitValue() : -1, Files.readString(outFile), Files.readString(errFile));
    } finally {
      Files.deleteIfExists(outFile);
      Files.deleteIfExists(errFile);
    }
  }

  @Test
  void managedIdentityMissingRolesIsDiagnosedAndTheGrantCommandFixesIt() throws Exception {
    Run before = child(Map.of(), "diagnose", "--json");
    assertThat(before.code()).as(before.err()).isEqualTo(1);
    JsonNode report = new ObjectMapper().readTree(before.out());
    assertThat(report.path("token").path("oid").asText())
        .isEqualTo(sandbox.systemAssigned().objectId());
    Map<String, JsonNode> probes = new HashMap<>();
    report.path("probes").forEach(p -> probes.put(p.path("target").asText(), p));
    assertThat(probes.get("users").path("verdict").asText()).isEqualTo("OK");
    for (String c : List.of("groups", "devices")) {
      assertThat(probes.get(c).path("verdict").asText()).isEqualTo("MISSING_PERMISSION");
      assertThat(probes.get(c).path("explanation").asText()).contains("Directory.Read.All");
    }
    String fix = probes.get("groups").path("fix").asText();
    assertThat(fix)
        .startsWith(
            "dirpipe grant --principal-id "
                + sandbox.systemAssigned().objectId()
                + " --permissions Group.Read.All");

    // Run the printed fix (widened to every collection) with an admin credential.
    String[] grant =
        (fix.substring("dirpipe ".length(), fix.indexOf("   "))
                .replace("Group.Read.All", "Directory.Read.All"))
            .split(" ");
    Run granted = dirpipe(asApp(admin), grant);
    assertThat(granted.code()).as(granted.err()).isZero();
    assertThat(granted.out()).contains("Directory.Read.All", "added");

    Run after = child(Map.of(), "diagnose");
    assertThat(after.code()).as(after.out() + after.err()).isZero();
    assertThat(after.out()).contains("everything configured is readable");
  }

  @Test
  void grantRunTwiceAddsNothingTheSecondTime() {
    String uami = sandbox.userAssigned().objectId();
    Run first =
        dirpipe(
            asApp(admin),
            "grant",
            "--principal-id",
            uami,
            "--permissions",
            "Device.Read.All,Group.Read.All");
    Run second =
        dirpipe(
            asApp(admin),
            "grant",
            "--principal-id",
            uami,
            "--permissions",
            "Device.Read.All,Group.Read.All");
    Run dry =
        dirpipe(
            asApp(admin),
            "grant",
            "--principal-id",
            uami,
            "--permissions",
            "AuditLog.Read.All",
            "--dry-run");

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("2 added");
    assertThat(second.code()).isZero();
    assertThat(second.out())
        .contains("existing")
        .contains("nothing to add: every permission was already granted")
        .doesNotContain("added");
    assertThat(dry.out()).contains("would-add", "dry run: nothing changed");
    assertThat(sandbox.tenant().permissionsOf(uami)).doesNotContain("AuditLog.Read.All");
  }

  @Test
  void grantRefusesUnknownPermissionsAndPrincipalsClearly() {
    Run typo =
        dirpipe(
            asApp(admin),
            "grant",
            "--principal-id",
            sandbox.userAssigned().objectId(),
            "--permissions",
            "Grop.Read.All");
    assertThat(typo.code()).isEqualTo(1);
    assertThat(typo.err())
        .contains("Nothing was granted", "'Grop.Read.All'", "closest: Group.Read.All");

    Run nobody =
        dirpipe(
            asApp(admin),
            "grant",
            "--principal-id",
            "11111111-2222-4333-8444-555555555555",
            "--permissions",
            "User.Read.All");
    assertThat(nobody.code()).isEqualTo(1);
    assertThat(nobody.err())
        .contains("No service principal with object id 11111111-2222-4333-8444-555555555555");
  }

  @Test
  void everyCredentialKindGetsATokenFromTheSandbox(@TempDir Path dir) throws Exception {
    assertThat(dirpipe(asApp(sandbox.application()), "diagnose").code())
        .as("client-secret")
        .isZero();

    KeyPair keys = TlsMaterial.rsaKeyPair();
    X509Certificate cert = TlsMaterial.selfSigned(keys, "CN=diagnose", false);
    Identity certApp =
        sandbox
            .tenant()
            .addApplication(
                "cert", List.of("Directory.Read.All"), List.of(cert), Duration.ofDays(1));
    Path pem = dir.resolve("cert.pem");
    SandboxClients.writePem(pem, keys, cert);
    Run byCert =
        dirpipe(
            env(
                "DIRPIPE_CREDENTIAL",
                "client-certificate",
                "DIRPIPE_CLIENT_ID",
                certApp.clientId(),
                "DIRPIPE_CLIENT_CERTIFICATE",
                pem.toString()),
            "diagnose");
    assertThat(byCert.code()).as(byCert.out() + byCert.err()).isZero();

    Run uami =
        child(
            Map.of(
                "DIRPIPE_CLIENT_ID",
                sandbox.userAssigned().clientId(),
                "IDENTITY_ENDPOINT",
                "",
                "IDENTITY_HEADER",
                ""),
            "diagnose",
            "--json",
            "--collections",
            "users");
    assertThat(uami.code()).as(uami.out() + uami.err()).isZero();
    assertThat(new ObjectMapper().readTree(uami.out()).path("token").path("oid").asText())
        .isEqualTo(sandbox.userAssigned().objectId());

    Run byDefault =
        child(Map.of("DIRPIPE_CREDENTIAL", "default"), "diagnose", "--collections", "users");
    assertThat(byDefault.code()).as(byDefault.out() + byDefault.err()).isZero();

    Identity workload =
        sandbox
            .tenant()
            .addApplication(
                "aks-workload", List.of("Directory.Read.All"), List.of(), Duration.ofDays(1));
    sandbox.tenant().federate(workload.clientId(), "system:serviceaccount:dirpipe:extractor");
    ObjectNode sa = new ObjectMapper().createObjectNode();
    long now = Instant.now().getEpochSecond();
    sa.put("iss", sandbox.url() + "/oidc")
        .put("sub", "system:serviceaccount:dirpipe:extractor")
        .put("aud", "api://AzureADTokenExchange")
        .put("iat", now)
        .put("nbf", now)
        .put("exp", now + 3600);
    Path tokenFile = dir.resolve("azure-identity-token");
    Files.writeString(tokenFile, sandbox.issuer().sign(sa));
    // what the AKS workload identity webhook injects, and nothing of dirpipe's own identity keys
    Map<String, String> aks = env();
    aks.remove("DIRPIPE_TENANT_ID");
    aks.put("AZURE_AUTHORITY_HOST", aks.remove("DIRPIPE_AUTHORITY_HOST"));
    aks.put("AZURE_TENANT_ID", sandbox.tenant().tenantId());
    aks.put("AZURE_CLIENT_ID", workload.clientId());
    aks.put("AZURE_FEDERATED_TOKEN_FILE", tokenFile.toString());
    Run byWorkload = dirpipe(aks, "diagnose", "--collections", "users", "--json");
    assertThat(byWorkload.code()).as(byWorkload.out() + byWorkload.err()).isZero();
    assertThat(new ObjectMapper().readTree(byWorkload.out()).path("token").path("appid").asText())
        .as("the token is the workload identity's, chosen by AZURE_FEDERATED_TOKEN_FILE")
        .isEqualTo(workload.clientId());

    Run cli = dirpipe(env("DIRPIPE_CREDENTIAL", "azure-cli"), "diagnose", "--json");

    assertThat(cli.code()).isEqualTo(1);
    assertThat(cli.out()).contains("CREDENTIAL_UNAVAILABLE");
  }

  @Test
  void aRefusedTokenIsReplacedByOneAskedWithAClaimsChallengeWhichTheTokenEndpointAccepts() {
    Identity app = sandbox.application();
    Map<String, String> env = sandbox.environment();
    IdentityConfig config =
        new IdentityConfig(
            Map.of(
                IdentityConfig.CREDENTIAL, "client-secret",
                IdentityConfig.TENANT_ID, env.get("DIRPIPE_TENANT_ID"),
                IdentityConfig.CLIENT_ID, app.clientId(),
                IdentityConfig.CLIENT_SECRET, app.secrets().get(0).value(),
                IdentityConfig.AUTHORITY_HOST, env.get("DIRPIPE_AUTHORITY_HOST"),
                IdentityConfig.INSTANCE_DISCOVERY, "false",
                IdentityConfig.TRUSTSTORE, env.get("DIRPIPE_TRUSTSTORE"),
                IdentityConfig.TRUSTSTORE_PASSWORD, env.get("DIRPIPE_TRUSTSTORE_PASSWORD")));
    CachingCredential credential = Credentials.build(config);
    var graph = new TokenRequestContext().addScopes(Audience.GRAPH.scope());
    String first = credential.getTokenSync(graph).getToken();
    assertThat(credential.getTokenSync(graph).getToken()).as("cached").isEqualTo(first);
    credential.invalidate(Audience.GRAPH.scope());
    String second = credential.getTokenSync(graph).getToken();
    assertThat(second).as("a token asked anew, with the nbf claims challenge").isNotEqualTo(first);
    assertThat(TokenClaims.decode(second).appid()).isEqualTo(app.clientId());
  }

  @Test
  void expiredWrongAudienceAndDelegatedTokensEachGetTheirVerdict() throws Exception {
    long now = Instant.now().getEpochSecond();
    assertThat(
            verdictFor(
                claims(
                    "https://graph.microsoft.com", now - 60, List.of("Directory.Read.All"), null)))
        .isEqualTo(Verdict.EXPIRED);
    assertThat(
            verdictFor(
                claims(
                    "https://management.azure.com/",
                    now + 3600,
                    List.of("Directory.Read.All"),
                    null)))
        .isEqualTo(Verdict.WRONG_AUDIENCE);
    assertThat(
            verdictFor(claims("https://graph.microsoft.com", now + 3600, List.of(), "User.Read")))
        .isEqualTo(Verdict.DELEGATED_TOKEN);
  }

  private static ObjectNode claims(String aud, long exp, List<String> roles, String scp) {
    ObjectNode c = new ObjectMapper().createObjectNode();
    c.put("aud", aud)
        .put("tid", sandbox.tenant().tenantId())
        .put("oid", sandbox.application().objectId())
        .put("appid", sandbox.application().clientId());
    c.put("iat", exp - 3600).put("nbf", exp - 3600).put("exp", exp);
    roles.forEach(c.putArray("roles")::add);
    if (scp != null) {
      c.put("scp", scp).put("idtyp", "user");
    }
    return c;
  }

  private static Verdict verdictFor(ObjectNode claims) {
    String token = sandbox.issuer().sign(claims);
    CachingCredential fixed =
        new CachingCredential(
            new com.azure.core.credential.TokenCredential() {
              @Override
              public Mono<AccessToken> getToken(com.azure.core.credential.TokenRequestContext r) {
                return Mono.just(getTokenSync(r));
              }

              @Override
              public AccessToken getTokenSync(com.azure.core.credential.TokenRequestContext r) {
                return new AccessToken(token, OffsetDateTime.now(ZoneOffset.UTC).plusHours(1));
              }
            });
    ApiClient graph =
        new ApiClient(
            sandbox.url(), fixed, Audience.GRAPH, java.net.http.HttpClient.newHttpClient());
    List<Probe> probes =
        new Diagnosis(graph, null, null, Clock.systemUTC()).run(List.of("users")).probes();
    return probes.get(0).verdict();
  }

  @Test
  void noTokenOrSecretReachesTheLogs() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level level = root.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    root.setLevel(Level.DEBUG);
    Run diagnose;
    Run grant;
    try {
      diagnose = dirpipe(asApp(admin), "diagnose", "--json");
      grant =
          dirpipe(
              asApp(admin),
              "grant",
              "--principal-id",
              sandbox.userAssigned().objectId(),
              "--permissions",
              "Group.Read.All");
    } finally {
      root.detachAppender(captured);
      root.setLevel(level);
    }
    StringBuilder logs = new StringBuilder();
    captured.list.forEach(
        e -> {
          logs.append(e.getFormattedMessage()).append('\n');
          if (e.getThrowableProxy() != null) {
            logs.append(e.getThrowableProxy().getMessage()).append('\n');
          }
        });
    assertThat(captured.list).as("debug logging was captured").isNotEmpty();
    String secret = admin.secrets().get(0).value();
    String everything = logs + diagnose.out() + diagnose.err() + grant.out() + grant.err();
    assertThat(everything)
        .doesNotContain(secret)
        .doesNotContain("eyJ")
        .doesNotContainIgnoringCase("bearer ey");
  }
}
