package io.dirpipe.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How dirpipe starts a JVM of its own as a child process (the demo's roles, the end-to-end bench):
 * the launcher's JVM options, this JVM's classpath, and a clean environment.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * The JVM options of the {@code dirpipe} launcher: the C1 compiler only and the serial collector,
   * which cost a process that runs for seconds to minutes less CPU than the defaults, and the class
   * data sharing archive the build trained beside {@code dirpipe.jar} when this JVM runs from it.
   */
  public static List<String> options() {
    Path classPath = Path.of(System.getProperty("java.class.path"));
    return options(classPath.getFileName().toString().equals("dirpipe.jar") ? classPath : null);
  }

  /** The launcher's options for a JVM that runs {@code jar} (null: no archive). */
  public static List<String> options(Path jar) {
    List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    Path archive = jar == null ? null : jar.resolveSibling("dirpipe.jsa");
    if (archive != null && Files.isRegularFile(archive)) {
      options.add("-XX:SharedArchiveFile=" + archive);
    }
    return options;
  }

  /** {@code java options -cp <this JVM's classpath> mainClass args}. */
  public static List<String> command(List<String> options, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(options);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /** This JVM's {@code java} executable. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Gives a child process exactly {@code env} as its configuration: none of this process's dirpipe,
   * Azure SDK or managed-identity variables leak into it.
   */
  public static ProcessBuilder configure(ProcessBuilder pb, Map<String, String> env) {
    pb.environment()
        .keySet()
        .removeIf(
            k ->
                k.startsWith("DIRPIPE_")
                    || k.startsWith("AZURE_")
                    || k.startsWith("IDENTITY_")
                    || k.startsWith("MSI_"));
    pb.environment().putAll(env);
    return pb;
  }
}
