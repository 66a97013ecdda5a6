package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.sandbox.tenant.Kind;
import io.dirpipe.sandbox.tenant.Memberships;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
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
  static final String COLLECTIONS = "roleDefinitions,roleAssignments,groupMembers";
  static final String GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";

  @TempDir Path dir;

  Map<String, String> env;

  @Test
  void aGroupsMembersHoldTheRoleWhileTheGroupIsAssignedIt(TestKafka broker) throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(Sandbox.Options.defaults(1_000).withQuota(Throttle.Quota.OFF))) {
      String prefix = "wh" + UUID.randomUUID().toString().substring(0, 6) + ".";
      env = new HashMap<>(PackagedDirpipe.extractorEnv(sandbox, broker, prefix));
      env.put("DIRPIPE_TRANSFORM_STATE_DIR", dir.resolve("state").toString());
      env.put("DIRPIPE_TRANSFORM_APPLICATION_ID", prefix + "transformer");
      env.put("DIRPIPE_TRANSFORM_COLLECTIONS", COLLECTIONS);
      String role = sandbox.tenant().ids().of(Kind.DIRECTORY_ROLE, 0); // Global Administrator
      String group = sandbox.tenant().ids().of(Kind.GROUP, 3);
      Set<String> members = new HashSet<>();
      for (Memberships.Member m : sandbox.tenant().memberships().all(3)) {
        members.add(m.id());
      }
      assertThat(members).as("members of the group").isNotEmpty();
      Set<String> direct = new HashSet<>();
      sandbox.tenant().relations().of(Kind.DIRECTORY_ROLE, role).forEach(m -> direct.add(m.id()));

      // run 1: the role's direct members only
      extractAndTransform();
      Instant t0 = tick();

      // run 2: the group holds the role
      assertThat(sandbox.tenant().relations().add(Kind.DIRECTORY_ROLE, role, group, "group"))
          .isTrue();
      extractAndTransform();
      Instant t1 = tick();

      // run 3: the group no longer does
      assertThat(sandbox.tenant().relations().remove(Kind.DIRECTORY_ROLE, role, group)).isTrue();
      extractAndTransform();
      Instant t2 = tick();

      assertThat(viaGroup(whoHas("Global Administrator", t0), group)).isEmpty();
      JsonNode during = whoHas("global administrator", t1);
      assertThat(during.path("roleDefinitionId").asText()).isEqualTo(GLOBAL_ADMINISTRATOR);
      assertThat(viaGroup(during, group)).isEqualTo(members);
      Set<String> directly = new HashSet<>();
      for (JsonNode h : during.path("holders")) {
        assertThat(h.path("kind").asText()).isEqualTo("active");
        if (h.path("viaGroupId").isNull()) {
          directly.add(h.path("principalId").asText());
        }
      }
      Set<String> expectedDirect = new HashSet<>(direct);
      expectedDirect.add(group); // the group itself is an assignee
      assertThat(directly).isEqualTo(expectedDirect);
      assertThat(viaGroup(whoHas(GLOBAL_ADMINISTRATOR, t2), group)).isEmpty();

      StringWriter unknown = new StringWriter();
      assertThat(dirpipe(unknown, "who-has", "--role", "Chief Wizard", "--at", t2.toString()))
          .isNotZero();
      assertThat(unknown.toString()).contains("No role definition named or with id 'Chief Wizard'");
    }
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

  private void extractAndTransform() throws Exception {
    StringWriter out = new StringWriter();
    int code = dirpipe(out, "extract", "--mode", "full", "--collections", COLLECTIONS, "--json");
    assertThat(code).as(out.toString()).isZero();
    StringWriter transformed = new StringWriter();
    assertThat(dirpipe(transformed, "transform", "--until-idle", "2s", "--json"))
        .as(transformed.toString())
        .isZero();
  }

  /** A time after everything so far, before anything next. */
  private static Instant tick() {
    Instant now = Instant.now();
    await("the clock to pass " + now).until(() -> Instant.now().isAfter(now));
    return now;
  }

  private int dirpipe(StringWriter out, String... args) {
    StringWriter err = new StringWriter();
    int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    if (code != 0) {
      out.write(err.toString());
    }
    return code;
  }
}
