package io.dirpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.tenant.Tenant;
import org.junit.jupiter.api.Test;

/** A million users fit the test JVM's 1 GB heap: objects are computed, not stored. */
class LargeTenantIT {
  @Test
  void aMillionUserTenantFitsInASmallHeapAndServesItsLastPage() throws Exception {
    Runtime.getRuntime().gc();
    long heapBefore = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    try (Sandbox sandbox =
        Sandbox.start(
            new Sandbox.Options(
                0,
                0,
                Tenant.Spec.forUsers(42, 1_000_000),
                java.util.List.of("Directory.Read.All"),
                Throttle.Quota.OFF))) {
      // its start-up time is a figure of `dirpipe bench sandbox`, not a bound asserted here
      Runtime.getRuntime().gc();
      long heapAfter = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
      assertThat(heapAfter - heapBefore)
          .as("heap held by the tenant")
          .isLessThan(200L * 1024 * 1024);

      SandboxClients clients = new SandboxClients(sandbox);
      String token = clients.graphToken();
      assertThat(clients.get("/v1.0/users/$count", token, "ConsistencyLevel", "eventual").body())
          .isEqualTo("1000000");
      String last = sandbox.tenant().store(io.dirpipe.sandbox.tenant.Kind.USER).idAt(999_999);
      JsonNode user =
          SandboxClients.json(
              clients.get("/v1.0/users/" + last + "?$select=id,displayName", token));
      assertThat(user.path("id").asText()).isEqualTo(last);
    }
  }
}
