package io.dirpipe.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code dirpipe}. */
@Command(
    name = "dirpipe",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Extracts a Microsoft Entra ID directory through Microsoft Graph into Kafka and turns it into"
            + " change events, a live inventory, Log Analytics rows and a data lake.",
    subcommands = {
      DemoCommand.class,
      SandboxCommand.class,
      KafkaCommand.class,
      ConfigCommand.class,
      DiagnoseCommand.class,
      GrantCommand.class,
      ExtractCommand.class,
      TaskCommand.class,
      TransformCommand.class,
      ReplayCommand.class,
      WhoHasCommand.class,
      VerifyCommand.class,
      CheckpointsCommand.class,
      LakeCommand.class,
      SinkCommand.class,
      RunCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;

  /** The variable logback.xml picks the log appender by: {@code text} or {@code json}. */
  static final String LOG_FORMAT = "DIRPIPE_LOG_FORMAT";

  public static void main(String[] args) {
    System.exit(
        run(
            args,
            System.getenv(),
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true)));
  }

  /** Runs one command line; the environment is passed in so nothing below reads it. */
  public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    String format = env.getOrDefault(LOG_FORMAT, "text");
    if (!format.equals("text") && !format.equals("json")) {
      err.println(
          "dirpipe: "
              + LOG_FORMAT
              + " must be text or json (logback.xml picks the appender by it); unset it for text.");
      return USAGE;
    }
    CommandLine cli = commandLine(env);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof ConfigException) {
            err.println("dirpipe: configuration error: " + e.getMessage());
            return USAGE;
          }
          if (e instanceof CommandLine.ParameterException) {
            err.println("dirpipe " + commandLine.getCommandName() + ": " + e.getMessage());
            return USAGE;
          }

          err.println("dirpipe " + commandLine.getCommandName() + ": " + describe(e));
          return FAILURE;
        });
    return cli.execute(args);
  }

  /** The command model with its converters, creating commands with this environment. */
  static CommandLine commandLine(Map<String, String> env) {
    CommandLine cli = new CommandLine(new Main(), new EnvFactory(env));
    cli.registerConverter(java.time.Duration.class, Durations::parse);
    cli.registerConverter(java.time.Instant.class, Durations::instant);
    return cli;
  }

  /** The message of an exception and of its causes, without a stack trace. */
  static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !text.toString().contains(c.getMessage())) {
        text.append(": ").append(c.getMessage());
      }
    }
    return text.toString();
  }

  /** Creates commands with the process environment, which they read through {@link Env}. */
  private record EnvFactory(Map<String, String> env) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      K instance = CommandLine.defaultFactory().create(type);
      if (instance instanceof Env aware) {
        aware.environment(env);
      }
      return instance;
    }
  }

  /** Implemented by commands that need the process environment (for configuration overrides). */
  interface Env {
    void environment(Map<String, String> env);
  }

  /** The version from the jar manifest; {@code dev} when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "dirpipe " + (v == null ? "dev" : v),
        "Java " + Runtime.version() + ", " + System.getProperty("java.vm.name")
      };
    }
  }
}
