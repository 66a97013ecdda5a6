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
}
