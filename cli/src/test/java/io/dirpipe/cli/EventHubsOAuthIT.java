package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.LocalKafka;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Topics;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kafka authenticated as Azure Event Hubs does it: SASL OAUTHBEARER with an Entra token for the
 * namespace. A broker whose OAUTHBEARER listener validates tokens with the sandbox's published keys
 * and requires the namespace's audience takes dirpipe's extraction, logged in with the sandbox's
 * application's credential through {@code kafka.sasl.mechanism=OAUTHBEARER} alone; a token for
 * another audience is refused, and the run says so.
 */
class EventHubsOAuthIT {
  static final String NAMESPACE = "https://dirpipe-events.servicebus.windows.net";
  static final int USERS = 120;

  @Test
  void theIdentitysTokenForTheNamespaceLogsInAndAnotherAudienceIsRefused() throws Exception {
    try (Sandbox sandbox =
            Sandbox.start(Sandbox.Options.defaults(USERS).withQuota(Throttle.Quota.OFF));
        LocalKafka broker =
            LocalKafka.startWithOAuth(
                new LocalKafka.OAuth(sandbox.jwksUrl(), NAMESPACE, sandbox.issuerUrl()))) {
      Map<String, String> env = PackagedDirpipe.applicationEnv(sandbox);
      env.put("DIRPIPE_KAFKA_BOOTSTRAP_SERVERS", broker.oauthBootstrapServers());
      env.put("DIRPIPE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
      env.put("DIRPIPE_KAFKA_SASL_MECHANISM", "OAUTHBEARER");
      // the listener is 127.0.0.1, not <namespace>.servicebus.windows.net: name the scope
      env.put(
          "DIRPIPE_KAFKA_SASL_JAAS_CONFIG",
          "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
              + " scope=\""
              + NAMESPACE
              + "/.default\";");
      env.put("DIRPIPE_TOPICS_PREFIX", "eh.");
      env.put("DIRPIPE_EXTRACT_COLLECTIONS", "users");

      StringWriter out = new StringWriter();
      int code = InProcess.dirpipe(env, out, "extract", "--json");
      assertThat(code).as(out.toString()).isZero();
      JsonNode run = new ObjectMapper().readTree(out.toString()).path("runs").get(0);
      assertThat(run.path("records").asLong()).isEqualTo(USERS);
      // read back on the plain listener: every user is there
      String raw = new Topics("eh.").raw(Collection.USERS).name();
      try (var admin = broker.clients().admin("eh-check")) {
        long end =
            io.dirpipe.core.kafka.TopicOffsets.end(
                    admin,
                    java.util.List.of(raw),
                    org.apache.kafka.common.IsolationLevel.READ_COMMITTED)
                .values()
                .stream()
                .mapToLong(Long::longValue)
                .sum();
        assertThat(end).as("records in " + raw).isGreaterThanOrEqualTo(USERS);
      }

      env.put(
          "DIRPIPE_KAFKA_SASL_JAAS_CONFIG",
          "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
              + " scope=\"https://graph.microsoft.com/.default\";");
      env.put("DIRPIPE_BROKER_TIMEOUT", "PT15S");
      StringWriter refused = new StringWriter();
      int refusedCode = InProcess.dirpipe(env, refused, "extract", "--json");
      assertThat(refusedCode).as(refused.toString()).isNotZero();
      assertThat(refused.toString().toLowerCase(java.util.Locale.ROOT))
          .as("the run names the refusal")
          .contains("refused the login")
          .contains("scope");
    }
  }
}
