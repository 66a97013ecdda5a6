package io.dirpipe.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  static final ConfigDef KEYS =
      new ConfigDef()
          .define("topics.prefix", Type.STRING, "dirpipe.", Importance.LOW, "prefix")
          .define("graph.page-size", Type.INT, 999, Range.between(1, 999), Importance.LOW, "page")
          .define("extract.collections", Type.LIST, "users", Importance.LOW, "collections")
          .define("identity.client-secret", Type.PASSWORD, null, Importance.LOW, "secret");

  @TempDir Path dir;

  final ConfigLoader loader = new ConfigLoader(KEYS);

  @Test
  void nestedYamlFlattensToDottedKeysAndListsToCommaValues() throws Exception {
    Path file =
        write(
            """
            topics:
              prefix: prod.dirpipe.
            graph:
              page-size: 500
            extract:
              collections: [users, groups]
            kafka:
              bootstrap.servers: broker-1:9092
              security:
                protocol: SASL_SSL
            """);

    LoadedConfig config = loader.load(file, Map.of());

    assertThat(config.values())
        .containsEntry("topics.prefix", "prod.dirpipe.")
        .containsEntry("graph.page-size", "500")
        .containsEntry("extract.collections", "users,groups")
        .containsEntry("kafka.bootstrap.servers", "broker-1:9092")
        .containsEntry("kafka.security.protocol", "SASL_SSL");
    assertThat(config.origins()).containsEntry("graph.page-size", file.toString());
  }

  @Test
  void environmentOverridesTheFile() throws Exception {
    Path file = write("graph:\n  page-size: 500\n");

    LoadedConfig config =
        loader.load(
            file,
            Map.of(
                "DIRPIPE_GRAPH_PAGE_SIZE", "250",
                "DIRPIPE_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092",
                "PATH", "/usr/bin"));

    assertThat(config.values())
        .containsEntry("graph.page-size", "250")
        .containsEntry("kafka.bootstrap.servers", "localhost:9092")
        .doesNotContainKey("path");
    assertThat(config.origins()).containsEntry("graph.page-size", "DIRPIPE_GRAPH_PAGE_SIZE");
  }

  @Test
  void variablesOfTheLauncherAreNotConfiguration() {
    assertThat(loader.load(null, Map.of("DIRPIPE_JAVA_OPTS", "-Xmx1g")).values()).isEmpty();
  }

  @Test
  void unknownFileKeyFailsWithTheClosestKnownKey() throws Exception {
    Path file = write("graph:\n  pagesize: 500\n");

    assertThatThrownBy(() -> loader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Unknown configuration key 'graph.pagesize' in " + file)
        .hasMessageContaining("did you mean 'graph.page-size'");
  }

  @Test
  void unknownVariableFailsWithItsName() {
    assertThatThrownBy(() -> loader.load(null, Map.of("DIRPIPE_TOPICS_PREFX", "x.")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DIRPIPE_TOPICS_PREFX")
        .hasMessageContaining("DIRPIPE_TOPICS_PREFIX");
  }

  @Test
  void badValueFailsNamingKeyValueAndOrigin() {
    assertThatThrownBy(() -> loader.load(null, Map.of("DIRPIPE_GRAPH_PAGE_SIZE", "1000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("1000")
        .hasMessageContaining("graph.page-size")
        .hasMessageContaining("no more than 999")
        .hasMessageContaining("DIRPIPE_GRAPH_PAGE_SIZE");
  }

  @Test
  void badSecretValueIsNeverEchoed() {
    ConfigDef keys =
        new ConfigDef()
            .define(
                "identity.client-secret",
                Type.PASSWORD,
                null,
                (name, value) -> {
                  if (value != null) {
                    throw new ConfigException(name, value, "too short");
                  }
                },
                Importance.LOW,
                "secret");

    assertThatThrownBy(
            () ->
                new ConfigLoader(keys)
                    .load(null, Map.of("DIRPIPE_IDENTITY_CLIENT_SECRET", "s3cr3t-value")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("identity.client-secret")
        .hasMessageNotContaining("s3cr3t-value");
  }

  @Test
  void aSecretInTheFileIsRefusedNamingTheKeyAndWhereItBelongs() throws Exception {
    ConfigDef keys =
        new ConfigDef()
            .define("client.secret", Type.PASSWORD, null, Importance.LOW, "secret")
            .define("client.secret-file", Type.STRING, null, Importance.LOW, "file")
            .define("lake.connection-string", Type.PASSWORD, null, Importance.LOW, "conn");
    ConfigLoader strict = new ConfigLoader(keys);

    assertThatThrownBy(() -> strict.load(write("client:\n  secret: s3cr3t\n"), Map.of()))
        .hasMessageContaining("'client.secret'")
        .hasMessageContaining("DIRPIPE_CLIENT_SECRET")
        .hasMessageContaining("'client.secret-file'")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(
            () ->
                strict.load(
                    write(
                        "kafka:\n  sasl.jaas.config: 'PlainLoginModule required password=\"x\";'\n"),
                    Map.of()))
        .hasMessageContaining("'kafka.sasl.jaas.config'")
        .hasMessageContaining("DIRPIPE_KAFKA_SASL_JAAS_CONFIG");
    assertThatThrownBy(
            () ->
                strict.load(
                    write(
                        "lake:\n  connection-string: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k=='\n"),
                    Map.of()))
        .hasMessageContaining("'lake.connection-string'");
    assertThatThrownBy(
            () ->
                strict.load(
                    write(
                        "lake:\n  connection-string: 'BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=sv=2024&sig=x'\n"),
                    Map.of()))
        .hasMessageContaining("'lake.connection-string'");

    // a connection string without a credential is an address, and the environment is where secrets
    // go
    assertThat(
            strict
                .load(
                    write(
                        "lake:\n  connection-string: 'BlobEndpoint=http://azurite:10000/devstoreaccount1;'\n"),
                    Map.of("DIRPIPE_CLIENT_SECRET", "from-the-environment"))
                .values())
        .containsEntry("client.secret", "from-the-environment");
  }

  @Test
  void missingExplicitFileFails() {
    assertThatThrownBy(() -> loader.load(dir.resolve("nope.yaml"), Map.of()))
        .hasMessageContaining("nope.yaml")
        .hasMessageContaining("does not exist");
  }

  @Test
  void invalidYamlFailsNamingTheFile() throws Exception {
    Path file = write("graph: [unclosed\n");
    assertThatThrownBy(() -> loader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not valid YAML");
  }

  @Test
  void envNameReplacesDotsAndDashes() {
    assertThat(ConfigLoader.envName("identity.client-secret"))
        .isEqualTo("DIRPIPE_IDENTITY_CLIENT_SECRET");
  }

  private Path write(String yaml) throws Exception {
    Path file = dir.resolve("dirpipe.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void azureIdentitysStandardVariablesFillWhatDirpipesOwnDoNotSet() {
    ConfigLoader all = new ConfigLoader(ConfigKeys.all());
    Map<String, String> aks =
        Map.of(
            "AZURE_TENANT_ID", "11111111-2222-3333-4444-555555555555",
            "AZURE_CLIENT_ID", "cid-from-azure",
            "AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/azure-identity-token",
            "AZURE_AUTHORITY_HOST", "https://login.microsoftonline.us/");
    LoadedConfig config = all.load(null, aks);
    assertThat(config.values())
        .containsEntry("tenant.id", "11111111-2222-3333-4444-555555555555")
        .containsEntry("client.id", "cid-from-azure")
        .containsEntry("workload.token-file", "/var/run/secrets/azure/tokens/azure-identity-token")
        .containsEntry("authority.host", "https://login.microsoftonline.us/")
        .as("the injected token file means workload identity")
        .containsEntry("credential", "workload-identity");

    Map<String, String> both = new java.util.HashMap<>(aks);
    both.put("DIRPIPE_CLIENT_ID", "cid-from-dirpipe");
    both.put("DIRPIPE_CREDENTIAL", "managed-identity");
    LoadedConfig overridden = all.load(null, both);
    assertThat(overridden.values())
        .as("dirpipe's own keys win")
        .containsEntry("client.id", "cid-from-dirpipe")
        .containsEntry("credential", "managed-identity");
  }
}
