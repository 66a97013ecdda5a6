package io.dirpipe.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.monitor.ingestion.LogsIngestionClient;
import com.azure.monitor.ingestion.LogsIngestionClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** azure-monitor-ingestion's LogsIngestionClient, unmodified, uploads to the sandbox. */
class LogsIngestionIT {
  static final String STREAM = "Custom-DirpipeChanges_CL";
  static Sandbox sandbox;
  static LogsIngestionClient client;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(Sandbox.Options.defaults(10));
    SandboxClients clients = new SandboxClients(sandbox);
    client =
        new LogsIngestionClientBuilder()
            .endpoint(sandbox.httpsUrl())
            .credential(clients.appCredential())
            .httpClient(clients.azureHttpClient())
            .buildClient();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void clean() {
    sandbox.ingested().clear();
    sandbox.faults().p429 = 0;
    sandbox.faults().p500 = 0;
  }

  private static List<Object> rows(int n) {
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(
          Map.of(
              "TimeGenerated",
              "2026-11-24T08:00:00Z",
              "ObjectId",
              "obj-" + i,
              "Operation",
              "UPDATE",
              "ChangedFields",
              "[\"jobTitle\"]"));
    }
    return rows;
  }

  private static void assertEachRowOnce(int n) {
    assertThat(sandbox.ingested().counts().get(STREAM)).isEqualTo(n);
    Set<String> ids = new HashSet<>();
    for (JsonNode row : sandbox.ingested().rows(STREAM)) {
      assertThat(ids.add(row.path("ObjectId").asText())).as("row once: " + row).isTrue();
    }
    assertThat(ids).hasSize(n);
  }

  @Test
  void uploadsTenThousandRows() {
    client.upload(sandbox.dataCollectionRule(), STREAM, rows(10_000));

    assertEachRowOnce(10_000);
    assertThat(sandbox.stats().requests("POST /dataCollectionRules/{dcr}/streams/{stream}", 204))
        .isGreaterThan(1); // split at 1 MB
  }

  @Test
  void throttlingAndServerErrorsAreRetriedWithoutDuplicates() {
    sandbox.faults().p429 = 0.2;
    sandbox.faults().p500 = 0.1;
    sandbox.faults().reseed();

    client.upload(sandbox.dataCollectionRule(), STREAM, rows(10_000));

    assertEachRowOnce(10_000);
  }

  @Test
  void oversizeBodyIs413AndUnknownRuleIs404() throws Exception {
    SandboxClients clients = new SandboxClients(sandbox);
    String token = clients.token(clients.appCredential(), "https://monitor.azure.com//.default");
    String big = "[" + "{\"x\":\"" + "a".repeat(1_100_000) + "\"}" + "]";
    var r =
        clients.send(
            "POST",
            sandbox.httpsUrl()
                + "/dataCollectionRules/"
                + sandbox.dataCollectionRule()
                + "/streams/"
                + STREAM
                + "?api-version=2023-01-01",
            big,
            "Authorization",
            "Bearer " + token,
            "Content-Type",
            "application/json");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.headers().firstValue("x-ms-error-code")).contains("ContentLengthLimitExceeded");

    var unknown =
        clients.send(
            "POST",
            sandbox.httpsUrl()
                + "/dataCollectionRules/dcr-nope/streams/"
                + STREAM
                + "?api-version=2023-01-01",
            "[]",
            "Authorization",
            "Bearer " + token,
            "Content-Type",
            "application/json");
    assertThat(unknown.statusCode()).isEqualTo(404);

    var graphToken =
        clients.send(
            "POST",
            sandbox.httpsUrl()
                + "/dataCollectionRules/"
                + sandbox.dataCollectionRule()
                + "/streams/"
                + STREAM
                + "?api-version=2023-01-01",
            "[]",
            "Authorization",
            "Bearer " + clients.graphToken(),
            "Content-Type",
            "application/json");
    assertThat(graphToken.statusCode()).isEqualTo(401);
    assertThat(BinaryData.fromString(graphToken.body()).toString()).contains("monitor.azure.com");
  }
}
