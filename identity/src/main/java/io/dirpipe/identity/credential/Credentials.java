package io.dirpipe.identity.credential;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.AadCredentialBuilderBase;
import com.azure.identity.AzureCliCredentialBuilder;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import io.dirpipe.core.Cloud;
import io.dirpipe.core.EnvNames;
import io.dirpipe.core.Time;
import io.dirpipe.identity.IdentityConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Builds the configured azure-identity credential, wrapped in a {@link CachingCredential}. Missing
 * or contradictory settings fail here, naming the keys to set.
 */
public final class Credentials {
  private Credentials() {}

  public static CachingCredential build(IdentityConfig config) {
    boolean confidential =
        switch (config.credential()) {
          case CLIENT_SECRET, CLIENT_CERTIFICATE, WORKLOAD_IDENTITY -> true;
          default -> false;
        };
    TokenCredential azure = azure(config);
    Cloud cloud = config.cloud();
    return new CachingCredential(
        cloud == Cloud.PUBLIC ? azure : new CloudScopes(azure, cloud), Time.SYSTEM, confidential);
  }

  /** The bare azure-identity credential. */
  static TokenCredential azure(IdentityConfig config) {
    HttpClient http = httpClient(config);
    return switch (config.credential()) {
      case MANAGED_IDENTITY -> managedIdentity(config);
      case WORKLOAD_IDENTITY ->
          aad(new WorkloadIdentityCredentialBuilder(), config, http, true)
              .tokenFilePath(config.getString(IdentityConfig.WORKLOAD_TOKEN_FILE))
              .build();
      case CLIENT_SECRET ->
          aad(new ClientSecretCredentialBuilder(), config, http, true)
              .clientSecret(secret(config))
              .build();
      case CLIENT_CERTIFICATE -> certificate(config, http);
      case AZURE_CLI -> {
        AzureCliCredentialBuilder b = new AzureCliCredentialBuilder();
        if (config.tenantId() != null) {
          b.tenantId(config.tenantId());
        }
        yield b.build();
      }
      case DEFAULT -> {
        DefaultAzureCredentialBuilder b =
            new DefaultAzureCredentialBuilder().authorityHost(config.authorityHost());
        if (config.tenantId() != null) {
          b.tenantId(config.tenantId());
        }
        if (config.clientId() != null) {
          b.managedIdentityClientId(config.clientId());
        }
        if (!config.getBoolean(IdentityConfig.INSTANCE_DISCOVERY)) {
          b.disableInstanceDiscovery();
        }
        if (http != null) {
          b.httpClient(http);
        }
        yield b.build();
      }
    };
  }

  private static TokenCredential managedIdentity(IdentityConfig config) {
    String objectId = config.getString(IdentityConfig.MI_OBJECT_ID);
    String resourceId = config.getString(IdentityConfig.MI_RESOURCE_ID);
    int chosen =
        (config.clientId() != null ? 1 : 0)
            + (objectId != null ? 1 : 0)
            + (resourceId != null ? 1 : 0);
    if (chosen > 1) {
      throw new ConfigException(
          "A user-assigned managed identity is chosen by one of "
              + IdentityConfig.CLIENT_ID
              + ", "
              + IdentityConfig.MI_OBJECT_ID
              + " or "
              + IdentityConfig.MI_RESOURCE_ID
              + ", not several; leave all three unset for the system-assigned identity.");
    }
    ManagedIdentityCredentialBuilder b = new ManagedIdentityCredentialBuilder();
    if (config.clientId() != null) {
      b.clientId(config.clientId());
    } else if (objectId != null) {
      b.objectId(objectId);
    } else if (resourceId != null) {
      b.resourceId(resourceId);
    }
    return b.build();
  }

  private static TokenCredential certificate(IdentityConfig config, HttpClient http) {
    String path = require(config, IdentityConfig.CLIENT_CERTIFICATE);
    if (!Files.isReadable(Path.of(path))) {
      throw new ConfigException(
          IdentityConfig.CLIENT_CERTIFICATE,
          path,
          "the certificate file does not exist or is not readable");
    }
    ClientCertificateCredentialBuilder b =
        aad(new ClientCertificateCredentialBuilder(), config, http, true);
    Password password = config.getPassword(IdentityConfig.CLIENT_CERTIFICATE_PASSWORD);
    String lower = path.toLowerCase();
    if (lower.endsWith(".pfx") || lower.endsWith(".p12")) {
      b.pfxCertificate(path);
      if (password != null) {
        b.clientCertificatePassword(password.value());
      }
    } else {
      b.pemCertificate(path);
    }
    return b.build();
  }

  private static <T extends AadCredentialBuilderBase<T>> T aad(
      T builder, IdentityConfig config, HttpClient http, boolean needsClientId) {
    builder
        .tenantId(require(config, IdentityConfig.TENANT_ID))
        .authorityHost(config.authorityHost());
    if (needsClientId) {
      builder.clientId(require(config, IdentityConfig.CLIENT_ID));
    }
    if (!config.getBoolean(IdentityConfig.INSTANCE_DISCOVERY)) {
      builder.disableInstanceDiscovery();
    }
    if (http != null) {
      builder.httpClient(http);
    }
    return builder;
  }

  private static String secret(IdentityConfig config) {
    Password secret = config.getPassword(IdentityConfig.CLIENT_SECRET);
    String file = config.getString(IdentityConfig.CLIENT_SECRET_FILE);
    if (secret != null && file != null) {
      throw new ConfigException(
          "Set "
              + IdentityConfig.CLIENT_SECRET
              + " or "
              + IdentityConfig.CLIENT_SECRET_FILE
              + ", not both.");
    }
    if (secret != null) {
      return secret.value();
    }
    if (file == null) {
      throw new ConfigException(
          "The client-secret credential needs "
              + IdentityConfig.CLIENT_SECRET
              + " (variable DIRPIPE_CLIENT_SECRET) or "
              + IdentityConfig.CLIENT_SECRET_FILE
              + ".");
    }
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ConfigException(
          IdentityConfig.CLIENT_SECRET_FILE, file, "cannot read the file: " + e.getMessage());
    }
  }

  private static String require(IdentityConfig config, String key) {
    String value = config.getString(key);
    if (value == null || value.isBlank()) {
      throw new ConfigException(
          "The "
              + config.credential().configName()
              + " credential needs "
              + key
              + " (variable "
              + EnvNames.of(key)
              + ").");
    }
    return value;
  }

  /** azure-core's JDK client trusting the configured trust store; null: azure-core's default. */
  public static HttpClient httpClient(IdentityConfig config) {
    SSLContext tls = trustStore(config);
    return tls == null
        ? null
        : new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(tls)).build();
  }

  /** An SSL context trusting the configured trust store, or null when none is configured. */
  public static SSLContext trustStore(IdentityConfig config) {
    X509TrustManager trust = trustManager(config);
    if (trust == null) {
      return null;
    }
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {trust}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
    }
  }

  /**
   * The trust manager of the configured trust store (the authority's and Graph's certificates, e.g.
   * the sandbox's or a TLS-inspecting proxy's CA), or null when none is configured.
   */
  public static X509TrustManager trustManager(IdentityConfig config) {
    String path = config.getString(IdentityConfig.TRUSTSTORE);
    if (path == null) {
      return null;
    }
    Password password = config.getPassword(IdentityConfig.TRUSTSTORE_PASSWORD);
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password == null ? null : password.value().toCharArray());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          return x;
        }
      }
      throw new GeneralSecurityException("no X.509 trust manager");
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(
          IdentityConfig.TRUSTSTORE,
          path,
          "cannot load the PKCS#12 trust store (check the file and "
              + IdentityConfig.TRUSTSTORE_PASSWORD
              + "): "
              + e.getMessage());
    }
  }
}
