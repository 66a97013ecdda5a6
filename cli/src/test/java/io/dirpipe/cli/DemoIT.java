package io.dirpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dirpipe demo --json} as the README runs it, at a smaller size: every count agrees. */
class DemoIT {
  /** Small: the stages and their checks are what is proven; the README's 20,000 is for people. */
  static final int USERS = 600;

  @TempDir Path dir;

  @Test
  void theWholePipelineAgreesWithItself() throws Exception {
    Path data = dir.resolve("demo-data");
    Path summaryFile = dir.resolve("demo.json"); // a file, not a pipe: the child never blocks on it
    Process demo =
        PackagedDirpipe.command(
                Map.of(),
                "demo",
                "--users",
                Integer.toString(USERS),
                "--json",
                "--data-dir",
                data.toString())
            .redirectOutput(summaryFile.toFile())
            .redirectError(dir.resolve("demo.log").toFile())
            .start();
    assertThat(demo.waitFor(5, TimeUnit.MINUTES)).as("finished").isTrue();
    String out = Files.readString(summaryFile);
    assertThat(demo.exitValue()).as(out + Files.readString(dir.resolve("demo.log"))).isZero();
    JsonNode summary = new ObjectMapper().readTree(out);

    assertThat(summary.path("ok").asBoolean()).as(summary.path("checks").toString()).isTrue();
    assertThat(summary.path("verified").asBoolean()).isTrue();
    assertThat(summary.path("extracted").path("users").asLong()).isEqualTo(USERS);
    assertThat(summary.path("extracted").path("groupMembers").asLong()).isPositive();
    assertThat(summary.path("changes").path("UPDATE").asLong()).isPositive();
    assertThat(summary.path("changes").path("DELETE").asLong()).isPositive();
    long changeEvents = 0;
    for (JsonNode n : summary.path("changes")) {
      changeEvents += n.asLong();
    }
    for (JsonNode n : summary.path("securityChanges")) {
      changeEvents += n.asLong();
    }
    // the security collections went through every stage too
    for (String c :
        new String[] {
          "roleAssignmentSchedules",
          "administrativeUnits",
          "oauth2PermissionGrants",
          "appRoleAssignments"
        }) {
      assertThat(summary.path("extracted").path(c).asLong()).as(c).isPositive();
    }
    assertThat(summary.path("logAnalytics").path("edges").asLong()).isPositive();
    assertThat(summary.path("logAnalytics").path("changes").asLong()).isEqualTo(changeEvents);
    assertThat(summary.path("lake").path("changeRows").asLong()).isEqualTo(changeEvents);
    for (String key :
        new String[] {
          "extracted", "changes", "memberships", "lake", "logAnalytics", "throttling"
        }) {
      assertThat(summary.has(key)).as(key).isTrue();
    }
    assertThat(summary.path("seconds").asDouble()).isPositive();
    assertThat(data).as("removed without --keep").doesNotExist();
    // the terminal tells dirpipe's story: the libraries' lines (broker, clients) go to the log file
    assertThat(Files.readAllLines(dir.resolve("demo.log")))
        .as("log lines of loggers outside io.dirpipe on the demo's terminal")
        .noneMatch(
            line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} [A-Z]+ +(?!i\\.d\\.)\\S+ - .*"));
  }
}
