package io.dirpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dirpipe.identity.IdentityConfig;
import io.dirpipe.identity.diagnose.Diagnosis;
import io.dirpipe.identity.diagnose.Probe;
import io.dirpipe.identity.token.TokenClaims;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dirpipe diagnose}: can the configured identity read what dirpipe reads, and if not, why.
 */
@Command(
    name = "diagnose",
    mixinStandardHelpOptions = true,
    description = {
      "Acquires a Graph token with the configured credential, shows its claims, probes each collection"
          + " (GET /<collection>?$top=1&$select=id) and ARM when subscription.id is set, and explains every"
          + " 401/403 from the token's claims with the fix.",
      "Exit code 0 only when everything is readable."
    })
final class DiagnoseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(
      names = "--collections",
      split = ",",
      paramLabel = "C",
      description = "Collections to probe (default: all: ${DEFAULT-VALUE}).",
      defaultValue =
          "users,groups,groupMembers,devices,applications,servicePrincipals,directoryRoles")
  List<String> collections;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    for (String c : collections) {
      if (!Diagnosis.COLLECTIONS.containsKey(c)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            "Unknown collection '"
                + c
                + "'; valid: "
                + String.join(", ", Diagnosis.COLLECTIONS.keySet()));
      }
    }
    IdentityWiring wiring = new IdentityWiring(new IdentityConfig(config.load().values()));
    Diagnosis.Report report =
        new Diagnosis(
                wiring.graph(), wiring.arm(), wiring.config.subscriptionId(), Clock.systemUTC())
            .run(collections);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectMapper mapper =
          new ObjectMapper()
              .registerModule(new JavaTimeModule())
              .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
      out.println(
          mapper
              .writerWithDefaultPrettyPrinter()
              .writeValueAsString(
                  Map.of(
                      "ok",
                      report.ok(),
                      "credential",
                      wiring.config.credential().configName(),
                      "token",
                      report.graphToken() == null ? Map.of() : report.graphToken(),
                      "probes",
                      report.probes())));
    } else {
      print(out, wiring.config, report);
    }
    return report.ok() ? Main.OK : Main.FAILURE;
  }

  private static void print(PrintWriter out, IdentityConfig config, Diagnosis.Report report) {
    out.println(
        "credential: "
            + config.credential().configName()
            + (config.clientId() != null ? " (client id " + config.clientId() + ")" : ""));
    TokenClaims t = report.graphToken();
    if (t != null) {
      Duration left = t.timeLeft(java.time.Instant.now());
      out.printf(
          "graph token: aud %s, tenant %s, principal (oid) %s, app %s%n",
          t.aud(), t.tid(), t.oid(), t.appid());
      out.printf("  roles %s%s%n", t.roles(), t.scp().isEmpty() ? "" : ", scopes " + t.scp());
      out.printf(
          "  expires %s (%s)%n",
          t.exp() == null
              ? "?"
              : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z")
                  .format(t.exp().atZone(ZoneId.systemDefault())),
          left.isNegative()
              ? "expired " + minutes(left.negated()) + " ago"
              : "in " + minutes(left));
    }
    for (Probe p : report.probes()) {
      out.printf("%-18s %-20s %s%n", p.target(), p.verdict(), p.explanation());
      if (p.fix() != null) {
        out.printf("%-18s %-20s fix: %s%n", "", "", p.fix());
      }
    }
    out.println(
        report.ok()
            ? "everything configured is readable"
            : "some calls would fail: see the fixes above");
  }

  private static String minutes(Duration d) {
    return d.toHours() > 0
        ? d.toHours() + " h " + d.toMinutesPart() + " min"
        : d.toMinutes() + " min " + d.toSecondsPart() + " s";
  }
}
