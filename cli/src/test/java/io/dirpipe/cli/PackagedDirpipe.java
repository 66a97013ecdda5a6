package io.dirpipe.cli;

import io.dirpipe.core.ChildJvm;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.kafka.TestKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged {@code target/dirpipe.jar} in a child process, configured only by its environment.
 */
final class PackagedDirpipe {
  private PackagedDirpipe() {}

  /**
   * {@code java -jar target/dirpipe.jar args}, with no inherited dirpipe or Azure variables but
   * {@code env}.
   */
  static ProcessBuilder command(Map<String, String> env, String... args) {
    Path jar = Path.of("target", "dirpipe.jar");
    List<String> command = new ArrayList<>(List.of(ChildJvm.java()));
    command.addAll(ChildJvm.options(jar));
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(List.of(args));
    return ChildJvm.configure(new ProcessBuilder(command), env);
  }

  /**
   * An extractor's environment: the sandbox's DIRPIPE_* variables, its dirpipe-app's secret, the
   * broker, a topic prefix.
   */
  static Map<String, String> extractorEnv(Sandbox sandbox, TestKafka kafka, String prefix) {
    Map<String, String> env = applicationEnv(sandbox);
    env.put("DIRPIPE_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("DIRPIPE_TOPICS_PREFIX", prefix);
    return env;
  }

  /**
   * The sandbox's DIRPIPE_* variables and its dirpipe-app's secret: what a command needs for Graph
   * and tokens, in this JVM too (azure-identity's managed identity would read the process's own
   * environment, not the map a command is given).
   */
  static Map<String, String> applicationEnv(Sandbox sandbox) {
    Map<String, String> env = new HashMap<>();
    sandbox
        .environment()
        .forEach(
            (k, v) -> {
              if (k.startsWith("DIRPIPE_")) {
                env.put(k, v);
              }
            });
    env.put("DIRPIPE_CREDENTIAL", "client-secret");
    env.put("DIRPIPE_CLIENT_ID", sandbox.application().clientId());
    env.put("DIRPIPE_CLIENT_SECRET", sandbox.application().secrets().get(0).value());
    return env;
  }
}
