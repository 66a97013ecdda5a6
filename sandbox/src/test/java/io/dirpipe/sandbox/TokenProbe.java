package io.dirpipe.sandbox;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ManagedIdentityCredential;
import com.azure.identity.ManagedIdentityCredentialBuilder;

/**
 * Run in a child JVM by {@code ManagedIdentityIT}: gets a Graph token with azure-identity's
 * ManagedIdentityCredential, configured only by the process environment (as on Azure), and prints
 * its claims. Argument: an optional client id of a user-assigned identity.
 */
public final class TokenProbe {
  public static void main(String[] args) throws Exception {
    ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder();
    if (args.length > 0) {
      builder.clientId(args[0]);
    }
    ManagedIdentityCredential credential = builder.build();
    TokenRequestContext graph = new TokenRequestContext().addScopes(SandboxClients.GRAPH_SCOPE);
    AccessToken first = credential.getTokenSync(graph);
    System.out.println(SandboxClients.claims(first.getToken()));
    System.out.flush();
    System.exit(0);
  }
}
