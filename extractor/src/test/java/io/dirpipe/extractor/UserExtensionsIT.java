package io.dirpipe.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.sandbox.tenant.Kind;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.ObservationKind;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.User;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Users' custom attributes and directory schema extensions come when named in {@code
 * extract.select-add.users}, and only then: the default $select stays as light as it was.
 */
@ExtendWith(KafkaExtension.class)
class UserExtensionsIT {
  Sandbox sandbox;

  @AfterEach
  void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void extensionsAreReadWhenSelectedAndOnlyThen(TestKafka kafka) throws Exception {
    sandbox = Sandbox.start(Sandbox.Options.defaults(200).withQuota(Throttle.Quota.OFF));
    Map<String, User> plain = users(kafka, Map.of());
    assertThat(plain.values())
        .allSatisfy(
            u -> {
              assertThat(u.getOnPremisesExtensionAttributes()).isNull();
              assertThat(u.getExtensions()).isNull();
            });

    Map<String, User> extended =
        users(
            kafka,
            Map.of(
                ExtractorConfig.SELECT_ADD_PREFIX + "users",
                "onPremisesExtensionAttributes," + Tenant.COST_CENTER));
    assertThat(extended).hasSameSizeAs(plain);
    int withCostCenter = 0;
    for (Map.Entry<String, User> e : extended.entrySet()) {
      Map<String, Object> tenantUser = sandbox.tenant().store(Kind.USER).get(e.getKey());
      @SuppressWarnings("unchecked")
      Map<String, Object> custom =
          (Map<String, Object>) tenantUser.get("onPremisesExtensionAttributes");
      User u = e.getValue();
      assertThat(u.getOnPremisesExtensionAttributes().getExtensionAttribute1())
          .isEqualTo(custom.get("extensionAttribute1"));
      Object costCenter = tenantUser.get(Tenant.COST_CENTER);
      if (costCenter != null) {
        withCostCenter++;
        assertThat(u.getExtensions()).containsEntry(Tenant.COST_CENTER, costCenter.toString());
      }
    }
    assertThat(withCostCenter).as("members have a cost center").isPositive();
  }

  private Map<String, User> users(TestKafka kafka, Map<String, Object> settings) throws Exception {
    Topics topics = SandboxExtractors.topics();
    Map<String, Object> all = new HashMap<>(settings);
    all.put(ExtractorConfig.COLLECTIONS, "users");
    List<RunSummary> runs = SandboxExtractors.extractor(sandbox, kafka, topics, all).runOnce();
    assertThat(runs).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo("completed"));
    Map<String, User> users = new HashMap<>();
    for (var r : RawTopic.readAll(kafka, topics.raw(Collection.USERS))) {
      Observation o = r.value();
      if (o.getKind() == ObservationKind.OBSERVED) {
        users.put(o.getObjectId(), (User) o.getPayload());
      }
    }
    return users;
  }
}
