package io.dirpipe.cli;

import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.LocalKafka;
import io.dirpipe.sandbox.registry.SchemaRegistry;
import io.dirpipe.sandbox.tenant.Tenant;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dirpipe sandbox}: the emulated tenant (and optionally a local broker) until Ctrl-C or
 * SIGTERM.
 */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the emulated Entra tenant on 127.0.0.1: IMDS and App Service identity endpoints, the Entra"
          + " token endpoint (https), Microsoft Graph, Logs Ingestion, ARM and a control API under /_sandbox.",
      "Prints one 'export NAME=value' line per variable a pipeline process needs, then 'sandbox ready'."
          + " Runs until Ctrl-C or SIGTERM."
    })
final class SandboxCommand implements Callable<Integer> {
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:@%+=,-]*");

  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      paramLabel = "ADDR",
      description =
          "Address to listen on (default: loopback only; 0.0.0.0 in a container other services reach).")
  String listen;

  @Option(
      names = "--advertise",
      paramLabel = "HOST",
      description =
          "Host name in the printed URLs and the TLS certificate (default: 127.0.0.1; the service name in compose).")
  String advertise;

  @Option(
      names = "--identity-header",
      paramLabel = "H",
      description =
          "The managed-identity endpoint's header value (IDENTITY_HEADER), at least 12 characters (default: random);"
              + " fixed when other services' environment is written in advance.")
  String identityHeader;

  @Option(
      names = "--out-dir",
      paramLabel = "DIR",
      description =
          "Where the trust store of the https port is written (default: a temporary folder), e.g. a volume shared with other services.")
  java.nio.file.Path outDir;

  @Option(names = "--port", paramLabel = "N", description = "HTTP port (default: a free port).")
  int port;

  @Option(
      names = "--https-port",
      paramLabel = "N",
      description = "HTTPS port of the token endpoint (default: a free port).")
  int httpsPort;

  @Option(
      names = "--users",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Users to generate (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--groups",
      paramLabel = "N",
      description = "Groups (default: one per 100 users, at least 5).")
  Integer groups;

  @Option(
      names = "--devices",
      paramLabel = "N",
      description = "Devices (default: one per 2 users).")
  Integer devices;

  @Option(
      names = "--apps",
      paramLabel = "N",
      description =
          "Applications, each with its service principal (default: one per 100 users, at least 3).")
  Integer apps;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "42",
      description =
          "Seed of the generated tenant: the same seed gives the same tenant (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--kafka",
      description = "Also start a local Kafka broker and print DIRPIPE_KAFKA_BOOTSTRAP_SERVERS.")
  boolean kafka;

  @Option(
      names = "--mi-roles",
      split = ",",
      paramLabel = "ROLE",
      defaultValue = "Directory.Read.All",
      description =
          "Graph application permissions of the host's system-assigned identity (default: ${DEFAULT-VALUE}).")
  List<String> miRoles;

  @Option(
      names = "--throttle",
      paramLabel = "off|small|medium|large",
      description =
          "Graph resource-unit quota class (default: from the tenant size, as Graph does).")
  String throttle;

  @Option(
      names = "--latency",
      paramLabel = "off|graph|MS[,MS_PER_KB]",
      defaultValue = "off",
      description =
          "Latency of every Graph answer: a fixed cost plus a cost per KB of body. graph = "
              + SandboxLatency.GRAPH_FIXED_MS
              + " ms + "
              + SandboxLatency.GRAPH_PER_KB_MS
              + " ms/KB, about 1 s for a page of 999 users with dirpipe's $select, as Graph answers"
              + " (default: ${DEFAULT-VALUE}).")
  String latency;

  @Override
  public Integer call() throws InterruptedException {
    if (users < 0
        || (groups != null && groups < 0)
        || (devices != null && devices < 0)
        || (apps != null && apps < 0)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "Counts must be zero or more.");
    }
    miRoles.forEach(
        r -> {
          try {
            Tenant.appRoleId(r);
          } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "--mi-roles: " + e.getMessage());
          }
        });
    SandboxLatency answerLatency = SandboxLatency.parse(latency, spec.commandLine());
    Tenant.Spec defaults = Tenant.Spec.forUsers(seed, users);
    Tenant.Spec tenant =
        new Tenant.Spec(
            seed,
            users,
            groups != null ? groups : defaults.groups(),
            devices != null ? devices : defaults.devices(),
            apps != null ? apps : defaults.applications());
    Shutdown shutdown = Shutdown.onSignals();
    PrintWriter out = spec.commandLine().getOut();
    LocalKafka broker = kafka ? LocalKafka.start(null, listen, advertise) : null;
    SchemaRegistry registry =
        broker == null
            ? null
            : SchemaRegistry.start(
                broker.clients(), listen, advertise == null ? "127.0.0.1" : advertise, 0);
    try (Sandbox sandbox =
        Sandbox.start(
            new Sandbox.Options(port, httpsPort, tenant, miRoles, quota())
                .withNetwork(
                    new Sandbox.Network(
                        listen,
                        advertise == null ? "127.0.0.1" : advertise,
                        identityHeader,
                        outDir)))) {
      answerLatency.applyTo(sandbox.faults());
      sandbox.environment().forEach((k, v) -> out.println("export " + k + "=" + quote(v)));
      if (broker != null) {
        out.println("export DIRPIPE_KAFKA_BOOTSTRAP_SERVERS=" + broker.bootstrapServers());
        out.println("export DIRPIPE_SCHEMA_REGISTRY_URL=" + registry.url());
      }
      out.println("sandbox ready");
      out.flush();
      shutdown.await();
    } finally {
      if (registry != null) {
        registry.close();
      }
      if (broker != null) {
        broker.close();
      }
    }
    return Main.OK;
  }

  private Throttle.Quota quota() {
    if (throttle == null) {
      return null;
    }
    try {
      return Throttle.Quota.valueOf(throttle.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--throttle must be off, small, medium or large, not '" + throttle + "'.");
    }
  }

  static String quote(String value) {
    return SHELL_SAFE.matcher(value).matches() ? value : "'" + value.replace("'", "'\\''") + "'";
  }
}
