package io.dirpipe.sandbox.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.dirpipe.sandbox.http.Exchange;
import io.dirpipe.sandbox.http.Router;
import io.dirpipe.sandbox.http.Surface;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The REST routes, answers and error codes of Confluent's Schema Registry API that clients use:
 * register and look up schemas, subjects and versions, compatibility checks and levels.
 */
final class RegistrySurface implements Surface {
  private static final String TYPE = "application/vnd.schemaregistry.v1+json";

  private final Subjects subjects;
  private final SchemasTopic log;
  private final Router router = new Router();

  RegistrySurface(Subjects subjects, SchemasTopic log) {
    this.subjects = subjects;
    this.log = log;
    String subject = "/subjects/([^/]+)";
    String version = "/versions/(latest|-1|\\d+)";
    router
        .add("GET", "/", (x, m) -> send(x, 200, Map.of()))
        .add("GET", "/schemas/types", (x, m) -> send(x, 200, List.of("AVRO")))
        .add("GET", "/schemas/ids/(\\d+)", this::schemaById)
        .add("GET", "/schemas/ids/(\\d+)/schema", this::rawSchemaById)
        .add("GET", "/schemas/ids/(\\d+)/versions", this::usesOfId)
        .add("GET", "/subjects", (x, m) -> send(x, 200, read(subjects::subjectNames)))
        .add("GET", subject + "/versions", this::versions)
        .add("GET", subject + version, this::version)
        .add("GET", subject + version + "/schema", this::rawVersion)
        .add("POST", subject + "/versions", this::register)
        .add("POST", subject, this::lookup)
        .add("POST", "/compatibility" + subject + version, this::compatibility)
        .add("POST", "/compatibility" + subject + "/versions", this::compatibility)
        .add("GET", "/config", (x, m) -> send(x, 200, level(read(subjects::globalLevel))))
        .add("PUT", "/config", (x, m) -> setLevel(x, null))
        .add("GET", "/config/([^/]+)", this::subjectLevel)
        .add("PUT", "/config/([^/]+)", (x, m) -> setLevel(x, decode(m.group(1))));
  }

  @Override
  public boolean owns(String path) {
    return true;
  }

  @Override
  public void handle(Exchange x) throws IOException {
    Optional<Router.Match> match = router.match(x.method(), x.path());
    if (match.isEmpty()) {
      error(
          x,
          router.knowsPath(x.path()) ? 405 : 404,
          router.knowsPath(x.path()) ? 405 : 404,
          "HTTP " + x.method() + " " + x.path() + " is not supported");
      return;
    }
    match.get().handler().handle(x, match.get().path());
  }

  private void schemaById(Exchange x, Matcher m) throws IOException {
    Optional<String> schema = schemaOr404(x, m);
    if (schema.isPresent()) {
      send(x, 200, Map.of("schema", schema.get()));
    }
  }

  private void rawSchemaById(Exchange x, Matcher m) throws IOException {
    Optional<String> schema = schemaOr404(x, m);
    if (schema.isPresent()) {
      x.send(200, TYPE, schema.get().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The schema of the id in the path, or empty having answered 404. */
  private Optional<String> schemaOr404(Exchange x, Matcher m) throws IOException {
    int id = Integer.parseInt(m.group(1));
    Optional<String> schema = read(() -> subjects.schema(id));
    if (schema.isEmpty()) {
      error(x, 404, 40403, "Schema " + id + " not found");
    }
    return schema;
  }

  private void usesOfId(Exchange x, Matcher m) throws IOException {
    int id = Integer.parseInt(m.group(1));
    List<Subjects.Version> uses = read(() -> subjects.usesOf(id));
    if (uses.isEmpty()) {
      error(x, 404, 40403, "Schema " + id + " not found");
      return;
    }
    send(
        x,
        200,
        uses.stream().map(v -> Map.of("subject", v.subject(), "version", v.version())).toList());
  }

  private void versions(Exchange x, Matcher m) throws IOException {
    String subject = decode(m.group(1));
    List<Subjects.Version> versions = read(() -> subjects.versions(subject));
    if (versions.isEmpty()) {
      subjectNotFound(x, subject);
      return;
    }
    send(x, 200, versions.stream().map(Subjects.Version::version).toList());
  }

  private void version(Exchange x, Matcher m) throws IOException {
    Optional<Subjects.Version> v = findVersion(x, decode(m.group(1)), m.group(2));
    if (v.isPresent()) {
      send(x, 200, describe(v.get()));
    }
  }

  private void rawVersion(Exchange x, Matcher m) throws IOException {
    Optional<Subjects.Version> v = findVersion(x, decode(m.group(1)), m.group(2));
    if (v.isPresent()) {
      x.send(200, TYPE, v.get().schema().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The version asked for, or empty having answered 404. */
  private Optional<Subjects.Version> findVersion(Exchange x, String subject, String version)
      throws IOException {
    List<Subjects.Version> versions = read(() -> subjects.versions(subject));
    if (versions.isEmpty()) {
      subjectNotFound(x, subject);
      return Optional.empty();
    }
    Optional<Subjects.Version> v =
        version.equals("latest") || version.equals("-1")
            ? Optional.of(versions.get(versions.size() - 1))
            : versions.stream().filter(s -> s.version() == Integer.parseInt(version)).findFirst();
    if (v.isEmpty()) {
      error(x, 404, 40402, "Version " + version + " not found.");
    }
    return v;
  }

  private void register(Exchange x, Matcher m) throws IOException {
    String subject = decode(m.group(1));
    Optional<Schema> schema = parseBody(x);
    if (schema.isEmpty()) {
      return;
    }
    String canonical = schema.get().toString();
    Object answer;
    synchronized (subjects) {
      Optional<Subjects.Version> existing = subjects.find(subject, canonical);
      if (existing.isPresent()) {
        answer = Map.of("id", existing.get().id());
      } else {
        List<String> problems =
            subjects.problems(
                subject,
                schema.get(),
                subjects.effectiveLevel(subject),
                subjects.versions(subject));
        if (!problems.isEmpty()) {
          error(
              x,
              409,
              409,
              "Schema being registered is incompatible with an earlier schema for subject \""
                  + subject
                  + "\", details: "
                  + problems);
          return;
        }
        Subjects.Version v = subjects.next(subject, canonical);
        if (log != null) {
          log.write(v);
        }
        subjects.apply(v);
        answer = Map.of("id", v.id());
      }
    }
    send(x, 200, answer);
  }

  private void lookup(Exchange x, Matcher m) throws IOException {
    String subject = decode(m.group(1));
    Optional<Schema> schema = parseBody(x);
    if (schema.isEmpty()) {
      return;
    }
    if (read(() -> subjects.versions(subject)).isEmpty()) {
      subjectNotFound(x, subject);
      return;
    }
    Optional<Subjects.Version> v = read(() -> subjects.find(subject, schema.get().toString()));
    if (v.isEmpty()) {
      error(x, 404, 40403, "Schema not found");
      return;
    }
    send(x, 200, describe(v.get()));
  }

  private void compatibility(Exchange x, Matcher m) throws IOException {
    String subject = decode(m.group(1));
    String version = m.groupCount() >= 2 ? m.group(2) : null;
    Optional<Schema> schema = parseBody(x);
    if (schema.isEmpty()) {
      return;
    }
    List<String> problems;
    synchronized (subjects) {
      List<Subjects.Version> versions = subjects.versions(subject);
      List<Subjects.Version> against = versions;
      if (version != null) {
        if (versions.isEmpty()) {
          subjectNotFound(x, subject);
          return;
        }
        Optional<Subjects.Version> v = findVersion(x, subject, version);
        if (v.isEmpty()) {
          return;
        }
        against = List.of(v.get());
      }
      String level = subjects.effectiveLevel(subject);
      // against one version, transitivity does not apply: the level's direction does
      problems =
          subjects.problems(
              subject,
              schema.get(),
              version != null ? level.replace("_TRANSITIVE", "") : level,
              against);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("is_compatible", problems.isEmpty());
    if ("true".equals(x.query("verbose"))) {
      answer.put("messages", problems);
    }
    send(x, 200, answer);
  }

  private void subjectLevel(Exchange x, Matcher m) throws IOException {
    String subject = decode(m.group(1));
    Optional<String> level = read(() -> subjects.subjectLevel(subject));
    if (level.isEmpty() && !"true".equals(x.query("defaultToGlobal"))) {
      error(
          x,
          404,
          40408,
          "Subject '" + subject + "' does not have subject-level compatibility configured");
      return;
    }
    send(x, 200, level(level.orElseGet(() -> read(subjects::globalLevel))));
  }

  private void setLevel(Exchange x, String subject) throws IOException {
    JsonNode body = Exchange.JSON.readTree(x.body());
    String level = body.path("compatibility").asText("").toUpperCase(Locale.ROOT);
    if (!Subjects.LEVELS.contains(level)) {
      error(x, 422, 42203, "Invalid compatibility level. Valid values are " + Subjects.LEVELS);
      return;
    }
    synchronized (subjects) {
      if (log != null) {
        log.writeLevel(subject, level);
      }
      subjects.level(subject, level);
    }
    send(x, 200, Map.of("compatibility", level));
  }

  /** The body's Avro schema, or empty having answered 422. */
  private Optional<Schema> parseBody(Exchange x) throws IOException {
    JsonNode body;
    try {
      body = Exchange.JSON.readTree(x.body());
    } catch (IOException e) {
      error(x, 400, 400, "Unrecognized request body: " + e.getMessage());
      return Optional.empty();
    }
    String type = body.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      error(x, 422, 42201, "Schema type " + type + " is not supported here: only AVRO");
      return Optional.empty();
    }
    if (body.path("references").size() > 0) {
      error(x, 422, 42201, "Schema references are not supported here");
      return Optional.empty();
    }
    try {
      return Optional.of(new Schema.Parser().parse(body.path("schema").asText()));
    } catch (SchemaParseException e) {
      error(x, 422, 42201, "Invalid schema: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static Map<String, Object> describe(Subjects.Version v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("subject", v.subject());
    out.put("version", v.version());
    out.put("id", v.id());
    out.put("schema", v.schema());
    return out;
  }

  private static Map<String, String> level(String level) {
    return Map.of("compatibilityLevel", level);
  }

  private <T> T read(java.util.function.Supplier<T> what) {
    synchronized (subjects) {
      return what.get();
    }
  }

  private static void subjectNotFound(Exchange x, String subject) throws IOException {
    error(x, 404, 40401, "Subject '" + subject + "' not found.");
  }

  private static void error(Exchange x, int status, int code, String message) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error_code", code);
    body.put("message", message);
    x.send(status, TYPE, Exchange.JSON.writeValueAsBytes(body));
  }

  private static void send(Exchange x, int status, Object body) throws IOException {
    x.send(status, TYPE, Exchange.JSON.writeValueAsBytes(body));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
