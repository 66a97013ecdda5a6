package io.dirpipe.cli.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.Time;
import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.MockKafkaClients;
import io.dirpipe.extractor.run.RunSummary;
import io.dirpipe.identity.credential.CachingCredential;
import io.dirpipe.schemas.Topics;
import io.dirpipe.sink.SinkStats;
import io.dirpipe.transformer.Transformer;
import io.dirpipe.transformer.TransformerConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Cluster;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The Grafana dashboard and the Log Analytics queries name only what dirpipe produces: every metric
 * and label of the dashboard's queries is one the roles' meters export (scraped from the real meter
 * code), and every table and column of the KQL queries is one the Bicep declares.
 */
class MonitoringAssetsTest {
  static final Path MONITORING = Path.of("..", "deploy", "monitoring");

  /** Labels Prometheus adds to every series it scrapes from a pod, and Micrometer's JVM ones. */
  static final Set<String> SCRAPE_LABELS =
      Set.of("pod", "namespace", "instance", "job", "area", "id");

  /** The series every role's meters export, as Prometheus scrapes them. */
  static String scrapeEveryMeter() {
    Observability observe = new Observability("test", Map.of(), null);
    PrometheusMeterRegistry registry = (PrometheusMeterRegistry) observe.registry();
    ExtractMetrics extract = new ExtractMetrics(registry, Time.SYSTEM);
    String tenant = "11111111-2222-3333-4444-555555555555";
    for (String status : List.of("completed", "failed")) {
      extract.record(
          new RunSummary(
              tenant, "users", "r", "full", 1, 1, 0, 1, 1, 1, 1, 1.0, "d", status, null, 1));
    }
    extract.quota(tenant, 8000);
    extract.token(tenant, new CachingCredential(request -> Mono.empty()));
    RoleMeters.sink(registry, "lake", new SinkStats());
    TransformerConfig transform = new TransformerConfig(Map.of());
    RoleMeters.transformer(
        registry,
        new Transformer(transform, new MockKafkaClients(Cluster.empty()), new Topics()),
        transform);
    // an admin client that fails every call, as an unreachable broker does: the lag reads NaN
    Admin noBroker =
        (Admin)
            Proxy.newProxyInstance(
                Admin.class.getClassLoader(),
                new Class<?>[] {Admin.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("close")) {
                    return null;
                  }
                  throw new IllegalStateException("no broker in a unit test");
                });
    KafkaClients kafka =
        (KafkaClients)
            Proxy.newProxyInstance(
                KafkaClients.class.getClassLoader(),
                new Class<?>[] {KafkaClients.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("admin")) {
                    return noBroker;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    new ConsumerLag(registry, kafka, "g", List.of("dirpipe.raw.users"), Time.SYSTEM);
    return registry.scrape();
  }

  @Test
  void theDashboardQueriesOnlyMetricsAndLabelsDirpipeExports() throws Exception {
    String scraped = scrapeEveryMeter();
    Map<String, Set<String>> exported = new HashMap<>(); // metric name -> its labels
    Matcher series = Pattern.compile("(?m)^([a-z_]+)(?:\\{([^}]*)})? ").matcher(scraped);
    while (series.find()) {
      Set<String> labels = exported.computeIfAbsent(series.group(1), k -> new TreeSet<>());
      if (series.group(2) != null) {
        Matcher l = Pattern.compile("([a-z_]+)=\"").matcher(series.group(2));
        while (l.find()) {
          labels.add(l.group(1));
        }
      }
    }
    JsonNode dashboard =
        new ObjectMapper().readTree(MONITORING.resolve("grafana-dashboard.json").toFile());
    List<String> exprs = new ArrayList<>();
    dashboard
        .path("panels")
        .forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
    assertThat(exprs).hasSizeGreaterThanOrEqualTo(10);
    Set<String> used = new TreeSet<>();
    for (String expr : exprs) {
      Matcher m = Pattern.compile("\\b((?:dirpipe|jvm)_[a-z_]+)").matcher(expr);
      List<String> metrics = new ArrayList<>();
      while (m.find()) {
        metrics.add(m.group(1));
      }
      assertThat(metrics).as("metrics in " + expr).isNotEmpty();
      used.addAll(metrics);
      Set<String> labels = new TreeSet<>(SCRAPE_LABELS);
      metrics.forEach(n -> labels.addAll(exported.getOrDefault(n, Set.of())));
      Matcher by = Pattern.compile("by \\(([^)]*)\\)|([a-z_]+)=~?\"").matcher(expr);
      while (by.find()) {
        List<String> named =
            by.group(1) != null
                ? List.of(by.group(1).replace(" ", "").split(","))
                : List.of(by.group(2));
        assertThat(labels).as("labels of " + metrics + " (in " + expr + ")").containsAll(named);
      }
    }
    assertThat(exported.keySet()).as("metrics dirpipe exports").containsAll(used);
    assertThat(used)
        .as("the on-call questions")
        .contains(
            "dirpipe_extract_freshness_seconds",
            "dirpipe_extract_throttled_total",
            "dirpipe_extract_resource_units_total",
            "dirpipe_extract_quota_resource_units",
            "dirpipe_token_expiry_seconds",
            "dirpipe_consumer_lag_records",
            "dirpipe_sink_rows_total",
            "dirpipe_sink_retries_total",
            "dirpipe_sink_dead_lettered_total");
  }

  @Test
  void theKqlQueriesNameOnlyTablesAndColumnsTheBicepDeclares() throws Exception {
    Map<String, Set<String>> tables = bicepTables();
    assertThat(tables).containsKeys("DirpipeChanges_CL", "DirpipeRuns_CL", "DirpipeEdges_CL");
    String text = Files.readString(MONITORING.resolve("queries.kql"));
    Map<String, String> queries = new LinkedHashMap<>();
    for (String block : text.split("\n\\s*\n")) {
      Matcher name = Pattern.compile("(?m)^// name: (.*)$").matcher(block);
      if (name.find()) {
        queries.put(name.group(1), block.substring(name.end()).strip());
      }
    }
    assertThat(queries).hasSizeGreaterThanOrEqualTo(6);
    queries.forEach(
        (name, query) -> {
          String code = query.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("(?m)//.*$", "");
          String table = code.lines().findFirst().orElseThrow().strip();
          assertThat(tables).as("the table of '" + name + "'").containsKey(table);
          Set<String> allowed = new TreeSet<>(tables.get(table));
          Matcher alias = Pattern.compile("\\b([A-Z][A-Za-z]*)\\s*=[^=]").matcher(code);
          while (alias.find()) {
            allowed.add(alias.group(1));
          }
          Matcher word =
              Pattern.compile("\\b([A-Z][A-Za-z]*)\\b").matcher(code.substring(table.length()));
          while (word.find()) {
            assertThat(allowed)
                .as("column " + word.group(1) + " in '" + name + "' (table " + table + ")")
                .contains(word.group(1));
          }
        });
  }

  /** Each custom table of deploy/loganalytics.bicep with its columns. */
  static Map<String, Set<String>> bicepTables() throws Exception {
    String bicep = Files.readString(Path.of("..", "deploy", "loganalytics.bicep"));
    Map<String, Set<String>> tables = new LinkedHashMap<>();
    Matcher t =
        Pattern.compile("name: '(Dirpipe\\w+_CL)'\\s*\\n\\s*columns: \\[(.*?)\\]", Pattern.DOTALL)
            .matcher(bicep);
    while (t.find()) {
      Set<String> columns = new TreeSet<>();
      Matcher c = Pattern.compile("name: '(\\w+)'").matcher(t.group(2));
      while (c.find()) {
        columns.add(c.group(1));
      }
      tables.put(t.group(1), columns);
    }
    return tables;
  }
}
