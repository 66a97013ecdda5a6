package io.dirpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.identity.IdentityConfig;
import io.dirpipe.identity.grant.AppRoleGrant;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dirpipe grant}: idempotent Graph app-role assignment to a managed identity. */
@Command(
    name = "grant",
    mixinStandardHelpOptions = true,
    description = {
      "Grants Microsoft Graph application permissions to a service principal, typically a managed identity"
          + " (which the portal cannot do). Creates only the missing assignments; run it twice and the second"
          + " run adds nothing.",
      "Runs with the configured credential, which needs Application.Read.All and AppRoleAssignment.ReadWrite.All."
    })
final class GrantCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(
      names = "--principal-id",
      required = true,
      paramLabel = "ID",
      description =
          "Object (principal) id of the managed identity or application's service principal.")
  String principalId;

  @Option(
      names = "--permissions",
      required = true,
      split = ",",
      paramLabel = "P",
      description =
          "Graph application permissions, e.g. Directory.Read.All or User.Read.All,Group.Read.All.")
  List<String> permissions;

  @Option(names = "--dry-run", description = "Say what would be added; change nothing.")
  boolean dryRun;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    IdentityWiring wiring = new IdentityWiring(new IdentityConfig(config.load().values()));
    AppRoleGrant.Report report =
        new AppRoleGrant(wiring.graph()).grant(principalId, permissions, dryRun);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
    } else {
      out.printf(
          "principal %s%s%n",
          report.principalId(),
          report.principalName() == null ? "" : " (" + report.principalName() + ")");
      for (AppRoleGrant.Line l : report.lines()) {
        out.printf(
            "  %-34s %-10s%s%n",
            l.permission(),
            l.outcome().name().toLowerCase().replace('_', '-'),
            l.error() == null ? "" : "  " + l.error());
      }
      out.println(summary(report));
    }
    return report.ok() ? Main.OK : Main.FAILURE;
  }

  static String summary(AppRoleGrant.Report r) {
    if (!r.ok()) {
      return "some permissions failed (above); the others were applied as shown";
    }
    if (r.dryRun()) {
      return "dry run: nothing changed";
    }
    return r.added() == 0
        ? "nothing to add: every permission was already granted"
        : r.added()
            + " added; new tokens of the principal carry them (managed identities cache tokens up to 24 h)";
  }
}
