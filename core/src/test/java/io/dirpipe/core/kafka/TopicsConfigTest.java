package io.dirpipe.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.dirpipe.schemas.wire.Formats;
import io.dirpipe.schemas.wire.Formats.TopicClass;
import io.dirpipe.schemas.wire.ValueFormat;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TopicsConfigTest {
  HttpServer server;
  String url;
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        x -> {
          authorizations.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
          byte[] body = "[1]".getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void theFormatFollowsTheRegistryUnlessSet() {
    assertThat(new TopicsConfig(Map.of()).formats().of(TopicClass.CHANGES))
        .isEqualTo(ValueFormat.AVRO);
    Formats withRegistry = new TopicsConfig(Map.of("schema-registry.url", url)).formats();
    assertThat(withRegistry.of(TopicClass.RAW)).isEqualTo(ValueFormat.AVRO_REGISTRY);
    Formats mixed =
        new TopicsConfig(
                Map.of(
                    "schema-registry.url",
                    url,
                    "topics.value-format",
                    "json",
                    "topics.value-format.inventory",
                    "avro-registry"))
            .formats();
    assertThat(mixed.of(TopicClass.CHANGES)).isEqualTo(ValueFormat.JSON);
    assertThat(mixed.of(TopicClass.INVENTORY)).isEqualTo(ValueFormat.AVRO_REGISTRY);
  }

  @Test
  void theRegistryFormatWithoutARegistrySaysWhatToSet() {
    assertThatThrownBy(
            () -> new TopicsConfig(Map.of("topics.value-format", "avro-registry")).formats())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DIRPIPE_SCHEMA_REGISTRY_URL");
    assertThatThrownBy(() -> new TopicsConfig(Map.of("topics.value-format", "protobuf")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("avro, avro-registry, json");
  }

  @Test
  void basicAuthenticationAsConfluentNamesIt() {
    new TopicsConfig(
            Map.of("schema-registry.url", url, "schema-registry.basic-auth.user-info", "u:p"))
        .formats()
        .registry()
        .versions("s");
    assertThat(authorizations).containsExactly("Basic dTpw");
  }

  @Test
  void aBearerTokenFromTheCommandsIdentityForTheScope() {
    new TopicsConfig(
            Map.of(
                "schema-registry.url",
                url,
                "schema-registry.bearer-auth.scope",
                "api://r/.default"))
        .withBearerTokens(scope -> "token-for-" + scope)
        .formats()
        .registry()
        .versions("s");
    assertThat(authorizations).containsExactly("Bearer token-for-api://r/.default");
  }

  @Test
  void aScopeWithoutAnIdentityOrBesideBasicIsRefused() {
    Map<String, String> scope =
        Map.of("schema-registry.url", url, "schema-registry.bearer-auth.scope", "api://r/.default");
    assertThatThrownBy(() -> new TopicsConfig(scope).formats())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema-registry.bearer-auth.scope");
    Map<String, String> both = new java.util.HashMap<>(scope);
    both.put("schema-registry.basic-auth.user-info", "u:p");
    assertThatThrownBy(() -> new TopicsConfig(both).withBearerTokens(s -> "t").formats())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("one kind of authentication");
  }
}
