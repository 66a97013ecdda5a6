package io.dirpipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.core.kafka.TopicsConfig;
import io.dirpipe.identity.IdentityConfig;
import io.dirpipe.transformer.audit.WhoHas;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Who held a directory role at a time, directly or through a group. */
@Command(
    name = "who-has",
    mixinStandardHelpOptions = true,
    description = {
      "Lists who held a directory role at TIME: its active assignments then (from"
          + " changes.roleAssignments) and, when extracted, its PIM eligibilities in force then"
          + " (changes.roleEligibilitySchedules), groups expanded to their members then (from"
          + " changes.memberships), each with the group it comes through.",
      "Needs roleDefinitions, roleAssignments and groupMembers extracted and transformed."
    })
final class WhoHasCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(
      names = "--role",
      required = true,
      paramLabel = "ROLE",
      description = "The role's display name (Global Administrator) or its definition id.")
  String role;

  @Option(
      names = "--at",
      paramLabel = "TIME",
      description =
          "now (the default), a time before now (-P1D, -PT2H, -1d, -90m), an ISO-8601 time with a"
              + " zone (2026-11-24T08:00:00Z) or epoch milliseconds.")
  Instant at;

  @Option(names = "--tenant-id", paramLabel = "T", description = "The tenant (default: tenant.id).")
  String tenantId;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Map<String, String> values = config.load(Map.of()).values();
    String tenant = tenantId != null ? tenantId : new IdentityConfig(values).tenantId();
    if (tenant == null) {
      throw new ParameterException(spec.commandLine(), "Set tenant.id or --tenant-id.");
    }
    Instant when = at != null ? at : Instant.now();
    TopicsConfig kafka = KafkaWiring.config(values);
    WhoHas.Answer answer;
    try {
      answer = WhoHas.at(kafka.clients(), kafka.topics(), tenant, role, when);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("role", answer.roleName());
      result.put("roleDefinitionId", answer.roleDefinitionId());
      result.put("at", when.toString());
      result.put("holders", answer.holders());
      result.put("eligibilityKnown", answer.eligibilityKnown());
      out.println(new ObjectMapper().writeValueAsString(result));
    } else {
      out.printf(
          "%s (%s) at %s: %d holder(s)%n",
          answer.roleName(), answer.roleDefinitionId(), when, answer.holders().size());
      if (!answer.eligibilityKnown()) {
        out.println(
            "  (PIM eligibilities not extracted: add roleEligibilitySchedules to list eligible holders)");
      }
      for (WhoHas.Holder h : answer.holders()) {
        out.printf(
            "  %s  %s  %s  scope %s%n",
            h.principalId(),
            h.kind(),
            h.viaGroupId() == null ? "direct" : "via group " + h.viaGroupId(),
            h.scope());
      }
    }
    return Main.OK;
  }
}
