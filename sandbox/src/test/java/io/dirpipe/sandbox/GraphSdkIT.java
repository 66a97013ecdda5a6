package io.dirpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.graph.core.tasks.PageIterator;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.UserCollectionResponse;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Microsoft Graph SDK, unmodified, reads the sandbox like it reads Graph. */
class GraphSdkIT {
  static Sandbox sandbox;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(Sandbox.Options.defaults(20_000));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void pageIteratorReadsEveryUserOnce() throws Exception {
    SandboxClients clients = new SandboxClients(sandbox);
    var auth =
        new AzureIdentityAuthenticationProvider(
            clients.appCredential(), new String[] {"127.0.0.1"}, SandboxClients.GRAPH_SCOPE);
    GraphServiceClient graph = new GraphServiceClient(auth);
    graph.getRequestAdapter().setBaseUrl(sandbox.url() + "/v1.0");

    UserCollectionResponse first =
        graph
            .users()
            .get(
                rc -> {
                  rc.queryParameters.top = 999;
                  rc.queryParameters.select =
                      new String[] {"id", "displayName", "userPrincipalName", "accountEnabled"};
                });
    Set<String> ids = new HashSet<>();
    AtomicInteger read = new AtomicInteger();
    PageIterator<User, UserCollectionResponse> pages =
        new PageIterator.Builder<User, UserCollectionResponse>()
            .client(graph)
            .collectionPage(first)
            .collectionPageFactory(UserCollectionResponse::createFromDiscriminatorValue)
            .processPageItemCallback(
                u -> {
                  read.incrementAndGet();
                  ids.add(u.getId());
                  return true;
                })
            .build();
    pages.iterate();

    assertThat(read.get()).isEqualTo(20_000);
    assertThat(ids).hasSize(20_000);
    assertThat(sandbox.stats().requests("GET /{collection}", 200))
        .isEqualTo(21); // 20 full pages + 1 of 20
  }

  @Test
  void graphIsServedOverHttpsTooWithLinksThatStayOnHttps() throws Exception {
    try (Sandbox sandbox = Sandbox.start(Sandbox.Options.defaults(2_000))) {
      overHttps(sandbox);
    }
  }

  private static void overHttps(Sandbox sandbox) throws Exception {
    SandboxClients clients = new SandboxClients(sandbox);
    var page =
        SandboxClients.json(
            clients.send(
                "GET",
                sandbox.httpsUrl() + "/v1.0/users?$top=999&$select=id",
                null,
                "Authorization",
                "Bearer " + clients.graphToken()));
    assertThat(page.path("value")).hasSize(999);
    assertThat(page.path("@odata.nextLink").asText())
        .startsWith(sandbox.httpsUrl() + "/v1.0/users");

    // a client that trusts only the PEM written beside the trust store reaches it
    var pem =
        java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(java.nio.file.Files.newInputStream(sandbox.certificatePem()));
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("pem", pem);
    var tmf =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    var tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    var answer =
        java.net.http.HttpClient.newBuilder()
            .sslContext(tls)
            .build()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(sandbox.httpsUrl() + "/v1.0/users?$top=1"))
                    .header("Authorization", "Bearer " + clients.graphToken())
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
  }
}
