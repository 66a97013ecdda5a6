package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.sandbox.registry.SchemaRegistry;
import io.dirpipe.sandbox.tenant.Mutator;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.schemas.serde.AvroSerde;
import io.dirpipe.schemas.wire.RegistryClient;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topics read by a consumer that knows nothing of dirpipe: the Node example (kafkajs and the
 * registry client, both from npm) prints the users inventory from inventory.users, changes.users
 * and changes.memberships, in the Confluent wire format and in JSON; it must equal {@code dirpipe
 * replay}. The registry beside the broker answers the official client's requests, and a schema the
 * registry's subject cannot follow stops a role at start naming the field and the subject.
 */
@ExtendWith(KafkaExtension.class)
class ConsumerExamplesIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path EXAMPLE = Path.of("..", "examples", "node-consumer").toAbsolutePath();
  static final String COLLECTIONS = "users,groups,groupMembers";

  static SchemaRegistry registry;

  @TempDir Path dir;

  @BeforeAll
  static void start(TestKafka broker) throws Exception {
    registry =
        SchemaRegistry.start(
            KafkaClients.of(Map.of("bootstrap.servers", broker.bootstrapServers())));
    installExample();
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void theNodeExampleReadsBothFormatsAsReplayDoes(TestKafka broker) throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(Sandbox.Options.defaults(300).withQuota(Throttle.Quota.OFF))) {
      String run = UUID.randomUUID().toString().substring(0, 6);
      Map<String, Map<String, String>> pipelines = new java.util.LinkedHashMap<>();
      for (String format : List.of("avro-registry", "json")) {
        String prefix = "cx" + run + format.charAt(0) + ".";
        Map<String, String> env = env(sandbox, broker, prefix, format);
        env.put("DIRPIPE_TRANSFORM_STATE_DIR", dir.resolve(format).toString());
        pipelines.put(format, env);
        InProcess.extractAndTransform(env, COLLECTIONS, "full");
        InProcess.extractAndTransform(env, COLLECTIONS, "delta"); // stores the delta links
      }
      new Mutator(sandbox.tenant()).apply(new Mutator.Request("users", 3, 5, 2, 0, 0, 11));
      new Mutator(sandbox.tenant()).apply(new Mutator.Request("groupMembers", 0, 0, 0, 4, 2, 12));
      for (var pipeline : pipelines.entrySet()) {
        InProcess.extractAndTransform(pipeline.getValue(), COLLECTIONS, "delta"); // c, u, d
        theNodeExampleAgreesWithReplay(broker, pipeline.getKey(), pipeline.getValue());
      }
    }
  }

  void theNodeExampleAgreesWithReplay(TestKafka broker, String format, Map<String, String> env)
      throws Exception {
    Set<JsonNode> fromReplay =
        InProcess.replayUsers(env, InProcess.tick(), dir.resolve(format + "-replay.jsonl"));

    Node example =
        node(
            "inventory.js",
            "--brokers",
            broker.bootstrapServers(),
            "--registry",
            registry.url(),
            "--prefix",
            env.get("DIRPIPE_TOPICS_PREFIX"),
            "--format",
            format);
    assertThat(example.code)
        .as(format + ": inventory.js exit code; stderr: " + example.err)
        .isZero();
    assertThat(example.err).contains("they agree");
    Set<JsonNode> fromNode = lines(example.out);
    assertThat(fromReplay).as(format).hasSize(300 + 3 - 2);
    assertThat(fromNode).as(format + ": the Node example's users = replay's").isEqualTo(fromReplay);
  }

  @Test
  void theOfficialClientLibraryWorksAgainstTheRegistry() throws Exception {
    Node check =
        node(
            "registry-check.js",
            "--registry",
            registry.url(),
            "--subject",
            "check-" + UUID.randomUUID() + "-value");
    assertThat(check.code).as(check.out + check.err).isZero();
    assertThat(check.out).doesNotContain("FAILED").contains("ok an incompatible schema is refused");
  }

  @Test
  void aSchemaTheSubjectCannotFollowStopsTheRoleAtStart(TestKafka broker) throws Exception {
    String prefix = "cy" + UUID.randomUUID().toString().substring(0, 6) + ".";
    // the transformer alone: it registers the schemas of what it writes before reading anything
    Map<String, String> env =
        Map.of(
            "DIRPIPE_KAFKA_BOOTSTRAP_SERVERS",
            broker.bootstrapServers(),
            "DIRPIPE_TOPICS_PREFIX",
            prefix,
            "DIRPIPE_SCHEMA_REGISTRY_URL",
            registry.url(),
            "DIRPIPE_TRANSFORM_STATE_DIR",
            dir.resolve("state").toString(),
            "DIRPIPE_TRANSFORM_APPLICATION_ID",
            prefix + "transformer",
            "DIRPIPE_TRANSFORM_COLLECTIONS",
            "users");
    // another producer registered a User that requires a field dirpipe does not write
    ObjectNode user = (ObjectNode) JSON.readTree(AvroSerde.MODEL.getSchema(User.class).toString());
    user.withArray("fields").addObject().put("name", "costCenter").put("type", "string");
    String subject = prefix + "inventory.users-value";
    new RegistryClient(registry.url(), null, Duration.ofSeconds(10))
        .register(subject, new Schema.Parser().parse(user.toString()));

    StringWriter out = new StringWriter();
    int code = InProcess.dirpipe(env, out, "transform", "--until-idle", "1s");
    assertThat(code).as(out.toString()).isNotZero();
    assertThat(out.toString()).contains(subject).contains("costCenter");
  }

  Map<String, String> env(Sandbox sandbox, TestKafka broker, String prefix, String format) {
    Map<String, String> env =
        InProcess.pipelineEnv(sandbox, broker, prefix, dir.resolve("state"), COLLECTIONS);
    env.put("DIRPIPE_SCHEMA_REGISTRY_URL", registry.url());
    env.put("DIRPIPE_TOPICS_VALUE_FORMAT", format);
    return env;
  }

  static Set<JsonNode> lines(String text) throws IOException {
    Set<JsonNode> out = new HashSet<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }

  record Node(int code, String out, String err) {}

  /** Runs a script of the example with node, at most two minutes. */
  static Node node(String script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    return run(command, Duration.ofMinutes(2));
  }

  /** {@code npm ci} in the example unless its packages are there: the test needs them, not CI. */
  static void installExample() throws Exception {
    if (Files.isDirectory(EXAMPLE.resolve("node_modules").resolve("kafkajs"))
        && Files.isDirectory(EXAMPLE.resolve("node_modules").resolve("lz4js"))) {
      return;
    }
    Node npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(5));
    assertThat(npm.code).as("npm ci in " + EXAMPLE + ": " + npm.out + npm.err).isZero();
  }

  static Node run(List<String> command, Duration limit) throws Exception {
    Path out = Files.createTempFile("node-out", ".txt");
    Path err = Files.createTempFile("node-err", ".txt");
    Process p =
        new ProcessBuilder(command)
            .directory(EXAMPLE.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          String.join(" ", command)
              + " did not end within "
              + limit
              + ": "
              + Files.readString(err));
    }
    try {
      return new Node(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.delete(out);
      Files.delete(err);
    }
  }
}
