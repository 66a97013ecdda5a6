package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.SandboxClients;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.sandbox.tenant.Kind;
import io.dirpipe.sandbox.tenant.Memberships;
import io.dirpipe.sandbox.tenant.ObjectStore;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.MembershipOperation;
import io.dirpipe.schemas.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any sequence of runs ends with the inventory equal to the tenant: FULL runs, a first DELTA (its
 * initial round), later DELTAs and a FULL again, with creates, updates and deletes in every object
 * collection and membership adds and removes between every pair of runs, the first pair included
 * (deletes between a FULL run and the first DELTA are the case an initial round must sweep).
 * Compared object by object for every object collection, and edge by edge for memberships.
 */
@ExtendWith(KafkaExtension.class)
class InventoryEqualsTenantIT {
  static final List<String> MUTABLE =
      List.of("users", "groups", "devices", "applications", "servicePrincipals");
  static final String ALL =
      "users,groups,devices,applications,servicePrincipals,directoryRoles,groupMembers";

  @TempDir Path dir;
  Map<String, String> env;
  Topics topics;
  KafkaClients kafka;

  @Test
  void fullDeltaAndMutationsInAnyOrderEndWithTheTenant(TestKafka broker) throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(Sandbox.Options.defaults(1_500).withQuota(Throttle.Quota.OFF))) {
      String prefix = "inv.";
      env = new HashMap<>(PackagedDirpipe.extractorEnv(sandbox, broker, prefix));
      env.put("DIRPIPE_TRANSFORM_STATE_DIR", dir.resolve("state").toString());
      env.put("DIRPIPE_TRANSFORM_APPLICATION_ID", "inv-transformer");
      topics = new Topics(prefix);
      kafka = broker.clients();
      SandboxClients control = new SandboxClients(sandbox);
      long seed = 100;

      dirpipe("extract", "--mode", "full", "--collections", ALL);
      seed = mutate(control, seed);
      dirpipe("extract", "--mode", "delta", "--collections", ALL); // the initial round
      transform();
      assertInventoryIsTheTenant(sandbox.tenant(), "after FULL, mutations, the first DELTA");

      seed = mutate(control, seed);
      dirpipe("extract", "--mode", "delta", "--collections", ALL);
      seed = mutate(control, seed);
      dirpipe("extract", "--mode", "full", "--collections", ALL);
      seed = mutate(control, seed);
      dirpipe("extract", "--mode", "delta", "--collections", ALL);
      transform();
      assertInventoryIsTheTenant(sandbox.tenant(), "after DELTA, FULL and DELTA with mutations");
    }
  }

  /** Creates, updates and deletes in every mutable collection; membership adds and removes. */
  long mutate(SandboxClients control, long seed) throws Exception {
    for (String c : MUTABLE) {
      control.control(
          "mutate",
          "{\"collection\":\""
              + c
              + "\",\"creates\":10,\"updates\":20,\"deletes\":10,\"seed\":"
              + seed++
              + "}");
    }
    control.control(
        "mutate",
        "{\"collection\":\"groupMembers\",\"adds\":30,\"removes\":15,\"seed\":" + seed++ + "}");
    return seed;
  }

  void assertInventoryIsTheTenant(Tenant tenant, String when) {
    for (String name : ALL.split(",")) {
      Kind kind = Kind.ofSegment(name); // the extracted object collections (not groupMembers)
      if (kind == null) {
        continue;
      }
      Collection<?> collection = Collection.of(name);
      Map<String, Object> inventory = new HashMap<>();
      TopicReader.readAll(
          kafka,
          topics.inventory(collection),
          r -> {
            if (r.value() == null) {
              inventory.remove(r.key().getObjectId());
            } else {
              inventory.put(r.key().getObjectId(), r.value());
            }
          });
      ObjectStore store = tenant.store(kind);
      Map<String, Map<String, Object>> live = new HashMap<>();
      for (int p = 0; p < store.positions(); p++) {
        if (store.at(p) != null) {
          live.put(store.idAt(p), store.at(p));
        }
      }
      Set<String> extra = new TreeSet<>(inventory.keySet());
      extra.removeAll(live.keySet());
      Set<String> missing = new TreeSet<>(live.keySet());
      missing.removeAll(inventory.keySet());
      assertThat(extra)
          .as("%s: inventory.%s ids not in the tenant", when, collection.name())
          .isEmpty();
      assertThat(missing)
          .as("%s: tenant ids not in inventory.%s", when, collection.name())
          .isEmpty();
      for (var e : inventory.entrySet()) {
        Object displayName =
            ((org.apache.avro.generic.GenericRecord) e.getValue()).get("displayName");
        assertThat(String.valueOf(displayName))
            .as("%s: displayName of %s %s", when, collection.name(), e.getKey())
            .isEqualTo(String.valueOf(live.get(e.getKey()).get("displayName")));
      }
    }

    Set<String> edges = new HashSet<>();
    TopicReader.readAll(
        kafka,
        topics.memberships(),
        r -> {
          String edge = r.value().getGroupId() + "/" + r.value().getMemberId();
          if (r.value().getOp() == MembershipOperation.ADD) {
            edges.add(edge);
          } else {
            edges.remove(edge);
          }
        });
    Set<String> tenantEdges = new HashSet<>();
    ObjectStore groups = tenant.store(Kind.GROUP);
    Memberships memberships = tenant.memberships();
    for (int g = 0; g < groups.positions(); g++) {
      if (groups.at(g) != null) {
        for (Memberships.Member m : memberships.all(g)) {
          tenantEdges.add(groups.idAt(g) + "/" + m.id());
        }
      }
    }
    Set<String> extra = new TreeSet<>(edges);
    extra.removeAll(tenantEdges);
    Set<String> missing = new TreeSet<>(tenantEdges);
    missing.removeAll(edges);
    assertThat(extra).as("%s: membership edges the tenant does not have", when).isEmpty();
    assertThat(missing).as("%s: membership edges of the tenant not in the topic", when).isEmpty();
  }

  void transform() {
    dirpipe("transform", "--until-idle", "2s");
  }

  void dirpipe(String... args) {
    StringWriter out = new StringWriter();
    PrintWriter w = new PrintWriter(out, true);
    int code = Main.run(args, env, w, w);
    assertThat(code).as("dirpipe %s: %s", String.join(" ", args), out).isZero();
  }
}
