package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.sandbox.tenant.Kind;
import io.dirpipe.sandbox.tenant.Memberships;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auditor's question on a real broker: who held Global Administrator at T, directly or through
 * a group. A group made Global Administrator between two FULL runs and removed before a third gives
 * its members the role exactly while it held it.
 */
@ExtendWith(KafkaExtension.class)
class WhoHasIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String COLLECTIONS =
      "roleDefinitions,roleAssignments,roleEligibilitySchedules,groupMembers";
  static final String GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";

  @TempDir Path dir;

  Map<String, String> env;

  @Test
  void aGroupsMembersHoldTheRoleWhileTheGroupIsAssignedIt(TestKafka broker) throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(Sandbox.Options.defaults(1_000).withQuota(Throttle.Quota.OFF))) {
      String prefix = "wh" + UUID.randomUUID().toString().substring(0, 6) + ".";
      env = InProcess.pipelineEnv(sandbox, broker, prefix, dir.resolve("state"), COLLECTIONS);
      String role = sandbox.tenant().ids().of(Kind.DIRECTORY_ROLE, 0); // Global Administrator
      String group = sandbox.tenant().ids().of(Kind.GROUP, 3);
      Set<String> members = new HashSet<>();
      for (Memberships.Member m : sandbox.tenant().memberships().all(3)) {
        members.add(m.id());
      }
      assertThat(members).as("members of the group").isNotEmpty();
      // PIM schedules need a role management permission: Directory.Read.All does not read them
      sandbox
          .tenant()
          .assign(
              sandbox.application().objectId(),
              io.dirpipe.sandbox.tenant.Tenant.appRoleId("RoleManagement.Read.Directory"));
      Set<String> direct = new HashSet<>();
      sandbox.tenant().relations().of(Kind.DIRECTORY_ROLE, role).forEach(m -> direct.add(m.id()));
      // a user who holds the role in no other way
      String eligible = null;
      for (int u = 7; eligible == null; u++) {
        String id = sandbox.tenant().ids().of(Kind.USER, u);
        if (!members.contains(id) && !direct.contains(id)) {
          eligible = id;
        }
      }

      // run 1: the role's direct members only
      InProcess.extractAndTransform(env, COLLECTIONS);
      Instant t0 = InProcess.tick();

      // run 2: the group holds the role, and a user is eligible for it
      assertThat(sandbox.tenant().relations().add(Kind.DIRECTORY_ROLE, role, group, "group"))
          .isTrue();
      String schedule =
          sandbox.tenant().roleManagement().makeEligible(GLOBAL_ADMINISTRATOR, eligible);
      InProcess.extractAndTransform(env, COLLECTIONS);
      Instant t1 = InProcess.tick();

      // run 3: the group no longer does, nor is the user eligible
      assertThat(sandbox.tenant().relations().remove(Kind.DIRECTORY_ROLE, role, group)).isTrue();
      assertThat(sandbox.tenant().roleManagement().removeEligibility(schedule)).isTrue();
      InProcess.extractAndTransform(env, COLLECTIONS);
      Instant t2 = InProcess.tick();

      JsonNode before = whoHas("Global Administrator", t0);
      assertThat(before.path("eligibilityKnown").asBoolean()).isTrue();
      assertThat(viaGroup(before, group)).isEmpty();
      assertThat(kinds(before, eligible)).isEmpty();
      JsonNode during = whoHas("global administrator", t1);
      assertThat(kinds(during, eligible)).containsExactly("eligible");
      assertThat(during.path("roleDefinitionId").asText()).isEqualTo(GLOBAL_ADMINISTRATOR);
      assertThat(viaGroup(during, group)).isEqualTo(members);
      Set<String> directly = new HashSet<>();
      for (JsonNode h : during.path("holders")) {
        if (h.path("viaGroupId").isNull() && h.path("kind").asText().equals("active")) {
          directly.add(h.path("principalId").asText());
        }
      }
      Set<String> expectedDirect = new HashSet<>(direct);
      expectedDirect.add(group); // the group itself is an assignee
      assertThat(directly).isEqualTo(expectedDirect);
      JsonNode after = whoHas(GLOBAL_ADMINISTRATOR, t2);
      assertThat(viaGroup(after, group)).isEmpty();
      assertThat(kinds(after, eligible)).isEmpty();

      StringWriter unknown = new StringWriter();
      assertThat(dirpipe(unknown, "who-has", "--role", "Chief Wizard", "--at", t2.toString()))
          .isNotZero();
      assertThat(unknown.toString()).contains("No role definition named or with id 'Chief Wizard'");
    }
  }

  /** How a principal holds the role in an answer: active, eligible, or nothing. */
  private static List<String> kinds(JsonNode answer, String principal) {
    List<String> kinds = new java.util.ArrayList<>();
    for (JsonNode h : answer.path("holders")) {
      if (principal.equals(h.path("principalId").asText())) {
        kinds.add(h.path("kind").asText());
      }
    }
    return kinds;
  }

  private static Set<String> viaGroup(JsonNode answer, String group) {
    Set<String> principals = new HashSet<>();
    for (JsonNode h : answer.path("holders")) {
      if (group.equals(h.path("viaGroupId").asText(null))) {
        principals.add(h.path("principalId").asText());
      }
    }
    return principals;
  }

  private JsonNode whoHas(String role, Instant at) throws Exception {
    StringWriter out = new StringWriter();
    int code = dirpipe(out, "who-has", "--role", role, "--at", at.toString(), "--json");
    assertThat(code).as(out.toString()).isZero();
    return JSON.readTree(out.toString());
  }

  private int dirpipe(StringWriter out, String... args) {
    return InProcess.dirpipe(env, out, args);
  }
}
