package io.dirpipe.sandbox;

import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;

/** Real clients pointed at a sandbox, and a raw HTTP helper for checking answers byte by byte. */
public final class SandboxClients {
  public static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";
  public static final ObjectMapper JSON = new ObjectMapper();

  private final Sandbox sandbox;
  private final HttpClient http;

  public SandboxClients(Sandbox sandbox) {
    this.sandbox = sandbox;
    this.http = HttpClient.newBuilder().sslContext(sandbox.clientTls()).build();
  }

  /** azure-core's HTTP client trusting the sandbox's certificate. */
  public com.azure.core.http.HttpClient azureHttpClient() {
    return new JdkHttpClientBuilder(HttpClient.newBuilder().sslContext(sandbox.clientTls()))
        .build();
  }

  /**
   * ClientSecretCredential of the sandbox's dirpipe-app (Directory.Read.All), unmodified
   * azure-identity.
   */
  public TokenCredential appCredential() {
    return appCredential(sandbox.application());
  }

  /** A client-secret credential of an application of the sandbox's tenant (its first secret). */
  public TokenCredential appCredential(io.dirpipe.sandbox.tenant.Identity app) {
    return new ClientSecretCredentialBuilder()
        .tenantId(sandbox.tenant().tenantId())
        .clientId(app.clientId())
        .clientSecret(app.secrets().get(0).value())
        .authorityHost(sandbox.authorityHost())
        .disableInstanceDiscovery()
        .httpClient(azureHttpClient())
        .build();
  }

  public String token(TokenCredential credential, String scope) {
    return credential.getTokenSync(new TokenRequestContext().addScopes(scope)).getToken();
  }

  public String graphToken() {
    return token(appCredential(), GRAPH_SCOPE);
  }

  public HttpResponse<String> get(String pathAndQuery, String token, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.url() + pathAndQuery)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> send(String method, String url, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : sandbox.url() + url))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POST to the control API. */
  public JsonNode control(String path, String json) throws IOException, InterruptedException {
    HttpResponse<String> r =
        send("POST", "/_sandbox/" + path, json, "Content-Type", "application/json");
    if (r.statusCode() != 200) {
      throw new IllegalStateException("control " + path + ": " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  public static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  /**
   * Writes a PEM file holding the private key and the certificate, as ClientCertificateCredential
   * reads it.
   */
  public static void writePem(
      java.nio.file.Path file, java.security.KeyPair keys, java.security.cert.X509Certificate cert)
      throws Exception {
    java.nio.file.Files.writeString(
        file,
        pem("PRIVATE KEY", keys.getPrivate().getEncoded()) + pem("CERTIFICATE", cert.getEncoded()));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            .encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** The claims of a JWT, decoded without verification. */
  public static JsonNode claims(String jwt) throws IOException {
    return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
  }
}
