package io.dirpipe.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs a dirpipe command in this JVM with the given environment, as a shell would run it. */
final class InProcess {
  private InProcess() {}

  /**
   * Runs {@code args}; standard output goes to {@code out}, and standard error too when the command
   * fails (so an assertion on the exit code shows why).
   */
  static int dirpipe(Map<String, String> env, StringWriter out, String... args) {
    StringWriter err = new StringWriter();
    int code = Main.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    if (code != 0) {
      out.write(err.toString());
    }
    return code;
  }
}
