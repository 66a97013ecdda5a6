package io.dirpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dirpipe.sandbox.graph.Throttle;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Delta round trips (FACTS.md §6): initial sync, mutations, exactly the changes back. */
class DeltaIT {
  static Sandbox sandbox;
  static SandboxClients clients;
  static String token;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(Sandbox.Options.defaults(3_000).withQuota(Throttle.Quota.OFF));
    clients = new SandboxClients(sandbox);
    token = clients.graphToken();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  /** Follows next links to the delta link; returns objects by id and the delta link. */
  private static String follow(String url, Map<String, JsonNode> objects) throws Exception {
    while (true) {
      HttpResponse<String> r =
          clients.send(
              "GET",
              url,
              null,
              "Authorization",
              "Bearer " + token,
              "Prefer",
              "odata.maxpagesize=500");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode page = SandboxClients.json(r);
      for (JsonNode o : page.path("value")) {
        objects.merge(o.path("id").asText(), o, (a, b) -> merged(a, b));
      }
      if (page.has("@odata.deltaLink")) {
        return page.path("@odata.deltaLink").asText();
      }
      url = page.path("@odata.nextLink").asText();
    }
  }

  /** A group on several pages: its member slices add up. */
  private static JsonNode merged(JsonNode a, JsonNode b) {
    if (a.has("members@delta") && b.has("members@delta")) {
      ((com.fasterxml.jackson.databind.node.ArrayNode) a.get("members@delta"))
          .addAll((com.fasterxml.jackson.databind.node.ArrayNode) b.get("members@delta"));
      return a;
    }
    return b;
  }

  @Test
  void deltaReturnsExactlyTheMutatedUsersWithRemovedReasons() throws Exception {
    Map<String, JsonNode> initial = new HashMap<>();
    String deltaLink =
        follow(
            sandbox.url()
                + "/v1.0/users/delta?$select=id,displayName,jobTitle,department,accountEnabled",
            initial);
    assertThat(initial).hasSize(3_000);
    assertThat(deltaLink).contains("$deltatoken=");

    JsonNode report =
        clients.control(
            "mutate",
            "{\"collection\":\"users\",\"creates\":7,\"updates\":40,\"deletes\":5,\"seed\":3}");

    Map<String, JsonNode> changes = new HashMap<>();
    String next = follow(deltaLink, changes);
    Set<String> expected = new HashSet<>();
    report.path("created").forEach(id -> expected.add(id.asText()));
    report.path("updated").forEach(u -> expected.add(u.path("id").asText()));
    report.path("deleted").forEach(id -> expected.add(id.asText()));
    assertThat(changes.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    report
        .path("deleted")
        .forEach(
            id ->
                assertThat(changes.get(id.asText()).path("@removed").path("reason").asText())
                    .isEqualTo("changed"));
    report
        .path("updated")
        .forEach(
            u -> {
              JsonNode now = changes.get(u.path("id").asText());
              assertThat(now.has("@removed")).isFalse();
              u.path("changedFields")
                  .forEach(
                      f ->
                          assertThat(now.get(f.asText()))
                              .isNotEqualTo(initial.get(u.path("id").asText()).get(f.asText())));
            });

    Map<String, JsonNode> fresh = new HashMap<>();
    follow(sandbox.url() + "/v1.0/users/delta?$select=id", fresh);
    assertThat(fresh)
        .as("a new initial sync lists what exists, no removals")
        .hasSize(sandbox.tenant().store(io.dirpipe.sandbox.tenant.Kind.USER).count());
    assertThat(fresh.values()).noneMatch(o -> o.has("@removed"));

    Map<String, JsonNode> none = new HashMap<>();

    follow(next, none);
    assertThat(none).as("nothing changed since").isEmpty();
  }

  @Test
  void groupDeltaCarriesMembersAndMembershipChanges() throws Exception {
    Map<String, JsonNode> initial = new HashMap<>();
    String deltaLink =
        follow(sandbox.url() + "/v1.0/groups/delta?$select=id,displayName,members", initial);
    assertThat(initial).hasSize(sandbox.tenant().spec().groups());
    JsonNode any = initial.values().iterator().next();
    int g = sandbox.tenant().ids().indexOf(any.path("id").asText());
    assertThat(any.path("members@delta").size())
        .isEqualTo(sandbox.tenant().memberships().all(g).size());

    JsonNode report =
        clients.control(
            "mutate", "{\"collection\":\"groupMembers\",\"adds\":6,\"removes\":4,\"seed\":9}");
    Map<String, JsonNode> changes = new HashMap<>();
    follow(deltaLink, changes);

    int adds = 0;
    int removes = 0;
    for (JsonNode change : report.path("memberships")) {
      JsonNode group = changes.get(change.path("groupId").asText());
      assertThat(group).as("group %s in delta", change.path("groupId").asText()).isNotNull();
      boolean found = false;
      for (JsonNode m : group.path("members@delta")) {
        if (m.path("id").asText().equals(change.path("memberId").asText())) {
          found = true;
          assertThat(m.has("@removed")).isEqualTo(change.path("op").asText().equals("REMOVE"));
        }
      }
      assertThat(found).isTrue();
      if (change.path("op").asText().equals("ADD")) {
        adds++;
      } else {
        removes++;
      }
    }
    assertThat(adds).isEqualTo(6);
    assertThat(removes).isEqualTo(4);
  }

  @Test
  void latestTokenExpiredTokenAndForcedResync() throws Exception {
    JsonNode latest =
        SandboxClients.json(clients.get("/v1.0/devices/delta?$deltatoken=latest", token));
    assertThat(latest.path("value")).isEmpty();
    String link = latest.path("@odata.deltaLink").asText();

    sandbox.faults().resyncNext = true;
    HttpResponse<String> gone = clients.send("GET", link, null, "Authorization", "Bearer " + token);
    assertThat(gone.statusCode()).isEqualTo(410);
    assertThat(gone.headers().firstValue("Location").orElseThrow())
        .contains("/devices/delta?$deltatoken=");

    sandbox.faults().deltaTokenTtlSeconds = 0;
    try {
      HttpResponse<String> expired =
          clients.send("GET", link, null, "Authorization", "Bearer " + token);
      assertThat(expired.statusCode()).isEqualTo(400);
      assertThat(SandboxClients.json(expired).path("error").path("code").asText())
          .isEqualTo("syncStateNotFound");
    } finally {
      sandbox.faults().deltaTokenTtlSeconds = 7 * 86_400;
    }
  }
}
