package io.dirpipe.sandbox;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ManagedIdentityCredential;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Gets a Graph token with azure-identity's ManagedIdentityCredential, configured only by the
 * process environment (as on Azure), and prints its claims. {@link #run} starts it in a child JVM.
 */
public final class TokenProbe {
  /** Argument: an optional client id of a user-assigned identity. */
  public static void main(String[] args) throws Exception {
    ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder();
    if (args.length > 0) {
      builder.clientId(args[0]);
    }
    ManagedIdentityCredential credential = builder.build();
    TokenRequestContext graph = new TokenRequestContext().addScopes(SandboxClients.GRAPH_SCOPE);
    AccessToken token = credential.getTokenSync(graph);
    System.out.println(SandboxClients.claims(token.getToken()));
    System.out.flush();
    System.exit(0);
  }

  /**
   * Runs the probe in a child JVM whose identity-related environment is exactly {@code env};
   * returns the claims of the token it got.
   *
   * @throws AssertionError with the child's output when it fails or takes over 60 s
   */
  public static JsonNode run(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                TokenProbe.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment()
        .keySet()
        .removeIf(
            k ->
                k.startsWith("IDENTITY_")
                    || k.startsWith("MSI_")
                    || k.startsWith("AZURE_")
                    || k.startsWith("IMDS_"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    var output = ChildOutput.drain(p.getInputStream());
    boolean finished = p.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    String out;
    try {
      out = output.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("cannot read the token probe's output", e);
    }
    if (!finished || p.exitValue() != 0) {
      throw new AssertionError(
          "token probe failed (" + (finished ? "exit " + p.exitValue() : "timeout") + "):\n" + out);
    }
    String json =
        out.lines()
            .filter(l -> l.startsWith("{"))
            .reduce((a, b) -> b)
            .orElseThrow(() -> new AssertionError("no claims printed: " + out));
    return SandboxClients.JSON.readTree(json);
  }
}
