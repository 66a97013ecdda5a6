package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.sandbox.tenant.Kind;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.Topics;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Which conditional access policies excluded this group last quarter?": policies extracted with
 * whom they include and exclude, an edit of an exclusion as one UPDATE, and replay answering for
 * any time; Policy.Read.All named when it is missing.
 */
@ExtendWith(KafkaExtension.class)
class ConditionalAccessIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String MFA_FOR_ADMINS = "a1c4a8b2-0001-4c5e-9d41-5a0f3c6c0001";

  @TempDir Path dir;

  Map<String, String> env;

  @Test
  void anExclusionAddedToAPolicyIsOneUpdateAndReplayAnswersBeforeAndAfter(TestKafka broker)
      throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(Sandbox.Options.defaults(300).withQuota(Throttle.Quota.OFF))) {
      String prefix = "ca" + UUID.randomUUID().toString().substring(0, 6) + ".";
      env =
          InProcess.pipelineEnv(
              sandbox, broker, prefix, dir.resolve("state"), "conditionalAccessPolicies");

      // Directory.Read.All does not read policies: diagnose names the permission
      StringWriter diagnosis = new StringWriter();
      assertThat(
              dirpipe(
                  diagnosis, "diagnose", "--collections", "conditionalAccessPolicies", "--json"))
          .isNotZero();
      assertThat(diagnosis.toString()).contains("Policy.Read.All");
      sandbox
          .tenant()
          .assign(sandbox.application().objectId(), Tenant.appRoleId("Policy.Read.All"));

      InProcess.extractAndTransform(env, "conditionalAccessPolicies");
      Instant before = InProcess.tick();
      String group = sandbox.tenant().ids().of(Kind.GROUP, 2);
      assertThat(sandbox.tenant().conditionalAccess().excludeGroup(MFA_FOR_ADMINS, group)).isTrue();
      InProcess.extractAndTransform(env, "conditionalAccessPolicies");
      Instant after = InProcess.tick();

      List<Change> changes = new ArrayList<>();
      TopicReader.readAll(
          KafkaClients.of(Map.of("bootstrap.servers", broker.bootstrapServers())),
          new Topics(prefix).changes(Collection.CONDITIONAL_ACCESS_POLICIES),
          r -> changes.add(r.value()));
      assertThat(changes)
          .extracting(Change::getOp)
          .filteredOn(op -> op == Operation.CREATE)
          .hasSize(3);
      assertThat(changes)
          .filteredOn(c -> c.getOp() == Operation.UPDATE)
          .singleElement()
          .satisfies(c -> assertThat(c.getChangedFields()).contains("conditions"));

      assertThat(excludedGroups(before)).doesNotContain(group);
      assertThat(excludedGroups(after)).contains(group);
    }
  }

  /** The excluded groups of the MFA policy as replayed at {@code at}. */
  private List<String> excludedGroups(Instant at) throws Exception {
    Path out = dir.resolve("policies-" + at.toEpochMilli() + ".jsonl");
    StringWriter replayed = new StringWriter();
    assertThat(
            dirpipe(
                replayed,
                "replay",
                "--collection",
                "conditionalAccessPolicies",
                "--at",
                at.toString(),
                "--out",
                out.toString()))
        .as(replayed.toString())
        .isZero();
    for (String line : Files.readAllLines(out)) {
      JsonNode policy = JSON.readTree(line);
      if (policy.path("id").asText().equals(MFA_FOR_ADMINS)) {
        List<String> groups = new ArrayList<>();
        policy
            .path("conditions")
            .path("users")
            .path("excludeGroups")
            .forEach(g -> groups.add(g.asText()));
        return groups;
      }
    }
    throw new AssertionError("the MFA policy was not in the replay at " + at);
  }

  private int dirpipe(StringWriter out, String... args) {
    return InProcess.dirpipe(env, out, args);
  }
}
