package io.dirpipe.schemas.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.avro.Schema;

/**
 * The client side of the Confluent Schema Registry REST API that a serializer needs: register a
 * schema under a subject, read a schema by id, list a subject's versions and set its compatibility.
 * Any registry speaking that API answers it (Confluent, Apicurio's ccompat, Karapace, Redpanda, the
 * sandbox's). Written here because Confluent's Java client is not published on Maven Central.
 *
 * <p>Ids are cached for ever (the API defines them immutable). Credentials go into the
 * Authorization header only; no message of this class holds them.
 */
public final class RegistryClient {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ATTEMPTS = 4;

  private final URI base;
  private final Supplier<String> authorization;
  private final HttpClient http;
  private final Duration timeout;
  private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
  private final Map<String, Integer> registered = new ConcurrentHashMap<>();

  /**
   * @param url the registry's base URL, e.g. {@code http://localhost:8081}
   * @param authorization the Authorization header's value for each request ({@code Basic ...},
   *     {@code Bearer ...}), or null for none
   */
  public RegistryClient(String url, Supplier<String> authorization, Duration timeout) {
    this.base = URI.create(url.endsWith("/") ? url : url + "/");
    if (base.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "schema-registry.url must not carry credentials: set schema-registry.basic-auth.user-info");
    }
    this.authorization = authorization;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Basic authentication from Confluent's {@code basic.auth.user.info} ({@code user:password}). */
  public static Supplier<String> basic(String userInfo) {
    String header =
        "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    return () -> header;
  }

  /** The registry's URL, for messages. */
  public String url() {
    return base.toString();
  }

  /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
  public int register(String subject, Schema schema) {
    String key = subject + "\n" + schema;
    Integer id = registered.get(key);
    if (id != null) {
      return id;
    }
    ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
    JsonNode answer = call("POST", "subjects/" + encode(subject) + "/versions", body, subject);
    id = answer.path("id").asInt();
    registered.put(key, id);
    byId.putIfAbsent(id, schema);
    return id;
  }

  /** The schema with that id. */
  public Schema schema(int id) {
    Schema s = byId.get(id);
    if (s != null) {
      return s;
    }
    JsonNode answer = call("GET", "schemas/ids/" + id, null, "schema id " + id);
    String type = answer.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw new RegistryException(
          "Schema id " + id + " at " + url() + " is " + type + ", not Avro", 0, 0);
    }
    s = new Schema.Parser().parse(answer.path("schema").asText());
    byId.put(id, s);
    return s;
  }

  /** Every subject the registry holds. */
  public List<String> subjects() {
    List<String> subjects = new ArrayList<>();
    call("GET", "subjects", null, "subjects").forEach(s -> subjects.add(s.asText()));
    return subjects;
  }

  /** The versions of a subject, oldest first; empty when the subject does not exist. */
  public List<Integer> versions(String subject) {
    try {
      List<Integer> versions = new ArrayList<>();
      call("GET", "subjects/" + encode(subject) + "/versions", null, subject)
          .forEach(v -> versions.add(v.asInt()));
      return versions;
    } catch (RegistryException e) {
      if (e.status() == 404) {
        return List.of();
      }
      throw e;
    }
  }

  /** One version of a subject. */
  public Schema version(String subject, int version) {
    JsonNode answer =
        call("GET", "subjects/" + encode(subject) + "/versions/" + version, null, subject);
    int id = answer.path("id").asInt();
    return byId.computeIfAbsent(id, i -> new Schema.Parser().parse(answer.path("schema").asText()));
  }

  /** Sets a subject's compatibility level, e.g. FULL_TRANSITIVE. */
  public void compatibility(String subject, String level) {
    call(
        "PUT",
        "config/" + encode(subject),
        JSON.createObjectNode().put("compatibility", level),
        subject);
  }

  private JsonNode call(String method, String path, JsonNode body, String what) {
    URI uri = base.resolve(path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", CONTENT_TYPE + ", application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      request.header("Content-Type", CONTENT_TYPE);
    }
    if (authorization != null) {
      request.header("Authorization", authorization.get());
    }
    IOException failure = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 == 2) {
          return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        }
        if (r.statusCode() >= 500 && attempt < ATTEMPTS) {
          pause(attempt);
          continue;
        }
        JsonNode error = parse(r.body());
        throw new RegistryException(
            method
                + " "
                + uri
                + " ("
                + what
                + ") answered "
                + r.statusCode()
                + ": "
                + error.path("message").asText(r.body()),
            r.statusCode(),
            error.path("error_code").asInt());
      } catch (IOException e) {
        failure = e;
        if (attempt < ATTEMPTS) {
          pause(attempt);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException("Interrupted calling the schema registry " + url(), 0, 0);
      }
    }
    throw new RegistryException(
        "The schema registry at "
            + url()
            + " did not answer "
            + method
            + " "
            + path
            + " ("
            + what
            + ") after "
            + ATTEMPTS
            + " attempts: "
            + failure
            + ". Is schema-registry.url right and the registry running?",
        0,
        0);
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private void pause(int attempt) {
    try {
      Thread.sleep(100L << attempt); // a retry backoff, not a wait for a state
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("Interrupted calling the schema registry " + url(), 0, 0);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A registry call that failed: the status (0: no answer) and Confluent's error code. */
  public static final class RegistryException extends org.apache.kafka.common.KafkaException {
    private final int status;
    private final int errorCode;

    RegistryException(String message, int status, int errorCode) {
      super(message);
      this.status = status;
      this.errorCode = errorCode;
    }

    public int status() {
      return status;
    }

    public int errorCode() {
      return errorCode;
    }
  }
}
