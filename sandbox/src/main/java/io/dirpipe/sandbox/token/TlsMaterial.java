package io.dirpipe.sandbox.token;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed certificate for {@code localhost} / {@code 127.0.0.1}: the https token endpoint
 * serves it, and clients trust it through the PKCS#12 trust store written by {@link
 * #writeTrustStore}.
 */
public final class TlsMaterial {
  private static final char[] KEY_PASSWORD = "sandbox".toCharArray();

  private final KeyPair keys;
  private final X509Certificate certificate;

  private TlsMaterial(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  public static TlsMaterial generate() {
    return generate("localhost");
  }

  /** A certificate for localhost, 127.0.0.1 and {@code host} (the name other containers use). */
  public static TlsMaterial generate(String host) {
    return generate(host, List.of());
  }

  /** ... and the host names of the cloud the sandbox poses as. */
  public static TlsMaterial generate(String host, List<String> more) {
    KeyPair keys = rsaKeyPair();
    List<String> names = new java.util.ArrayList<>(List.of(host));
    names.addAll(more);
    return new TlsMaterial(keys, selfSigned(keys, "CN=localhost", true, names));
  }

  public static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A self-signed certificate for the key pair, valid for a year. */
  public static X509Certificate selfSigned(KeyPair keys, String subject, boolean loopbackNames) {
    return selfSigned(keys, subject, loopbackNames, List.of("localhost"));
  }

  private static X509Certificate selfSigned(
      KeyPair keys, String subject, boolean loopbackNames, List<String> hosts) {
    try {
      Instant now = Instant.now();
      X500Name name = new X500Name(subject);
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(64, new SecureRandom()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(365))),
              name,
              keys.getPublic());
      if (loopbackNames) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(
                            new GeneralName(GeneralName.dNSName, "localhost"),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1")),
                        hosts.stream()
                            .distinct()
                            .map(
                                h ->
                                    new GeneralName(
                                        h.matches("[0-9.]+")
                                            ? GeneralName.iPAddress
                                            : GeneralName.dNSName,
                                        h)))
                    .toArray(GeneralName[]::new)));
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("Cannot create a self-signed certificate", e);
    }
  }

  /** The server side: an SSL context presenting the certificate. */
  public SSLContext serverContext() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(
          "sandbox", keys.getPrivate(), KEY_PASSWORD, new X509Certificate[] {certificate});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, KEY_PASSWORD);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Cannot build the sandbox's TLS context", e);
    }
  }

  /** The client side: an SSL context trusting only the sandbox certificate. */
  public SSLContext clientContext() {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore());
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a PKCS#12 trust store holding the certificate. */
  public void writeTrustStore(Path file, char[] password) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      trustStore().store(out, password);
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot write the trust store " + file, e);
    }
  }

  /**
   * Writes the certificate as PEM, for clients outside Java (Node's {@code NODE_EXTRA_CA_CERTS}).
   */
  public void writePem(Path file) throws IOException {
    try {
      String base64 =
          java.util.Base64.getMimeEncoder(
                  64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded());
      Files.writeString(
          file, "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot write the certificate " + file, e);
    }
  }

  private KeyStore trustStore() throws GeneralSecurityException, IOException {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("dirpipe-sandbox", certificate);
    return ts;
  }

  public X509Certificate certificate() {
    return certificate;
  }
}
