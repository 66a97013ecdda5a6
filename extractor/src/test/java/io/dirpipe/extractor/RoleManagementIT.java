package io.dirpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.RoleAssignment;
import io.dirpipe.schemas.entity.RoleDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Role definitions and active role assignments ({@code /roleManagement/directory/...}), FULL and in
 * a delta run (no delta query: read whole): every object of the sandbox once, with its fields.
 */
@ExtendWith(KafkaExtension.class)
class RoleManagementIT {
  Sandbox sandbox;

  @AfterEach
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void definitionsAndAssignmentsArePublishedAsTheTenantHoldsThem(TestKafka kafka) throws Exception {
    sandbox = Sandbox.start(Sandbox.Options.defaults(500).withQuota(Throttle.Quota.OFF));
    Topics topics = SandboxExtractors.topics();
    for (String mode : List.of("full", "delta")) {
      List<RunSummary> runs =
          SandboxExtractors.extractor(
                  sandbox,
                  kafka,
                  topics,
                  Map.of(
                      ExtractorConfig.COLLECTIONS,
                      "roleDefinitions,roleAssignments",
                      ExtractorConfig.MODE,
                      mode))
              .runOnce();
      assertThat(runs).hasSize(2).allMatch(r -> r.status().equals("completed"), "completed");

      Map<String, RoleDefinition> definitions = new HashMap<>();
      for (Observation o : read(kafka, topics, Collection.ROLE_DEFINITIONS, runs)) {
        RoleDefinition d = (RoleDefinition) o.getPayload();
        assertThat(definitions.put(d.getId(), d)).as("published twice: " + d.getId()).isNull();
      }
      List<Map<String, Object>> tenantDefinitions = sandbox.tenant().roleManagement().definitions();
      assertThat(definitions.keySet())
          .containsExactlyInAnyOrderElementsOf(
              tenantDefinitions.stream().map(d -> (String) d.get("id")).toList());
      RoleDefinition ga = definitions.get("62e90394-69f5-4237-9190-012177145e10");
      assertThat(ga.getDisplayName()).isEqualTo("Global Administrator");
      assertThat(ga.getIsBuiltIn()).isTrue();
      assertThat(ga.getRolePermissions())
          .singleElement()
          .satisfies(p -> assertThat(p.getAllowedResourceActions()).isNotEmpty());

      Map<String, RoleAssignment> assignments = new HashMap<>();
      for (Observation o : read(kafka, topics, Collection.ROLE_ASSIGNMENTS, runs)) {
        RoleAssignment a = (RoleAssignment) o.getPayload();
        assertThat(assignments.put(a.getId(), a)).as("published twice: " + a.getId()).isNull();
      }
      List<Map<String, Object>> tenantAssignments = sandbox.tenant().roleManagement().assignments();
      assertThat(tenantAssignments).isNotEmpty();
      assertThat(assignments).hasSize(tenantAssignments.size());
      for (Map<String, Object> a : tenantAssignments) {
        RoleAssignment published = assignments.get((String) a.get("id"));
        assertThat(published).as("assignment " + a.get("id")).isNotNull();
        assertThat(published.getPrincipalId()).isEqualTo(a.get("principalId"));
        assertThat(published.getRoleDefinitionId()).isEqualTo(a.get("roleDefinitionId"));
        assertThat(published.getDirectoryScopeId()).isEqualTo("/");
      }
    }
  }

  private static List<Observation> read(
      TestKafka kafka, Topics topics, Collection<?> c, List<RunSummary> runs) {
    String runId =
        runs.stream()
            .filter(r -> r.collection().equals(c.name()))
            .findFirst()
            .orElseThrow()
            .runId();
    return RawTopic.run(RawTopic.readAll(kafka, topics.raw(c)), runId);
  }
}
