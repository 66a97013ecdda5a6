package io.dirpipe.sandbox.tenant;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A principal that can get tokens: a managed identity (system- or user-assigned) or an application
 * with client secrets and certificates. Its service principal lives in the tenant's
 * servicePrincipals.
 *
 * @param type how it authenticates
 * @param name display name
 * @param clientId the app id (client_id in token requests, appid in tokens)
 * @param objectId the service principal's object id (oid in tokens, principal_id)
 * @param resourceId the Azure resource id of a user-assigned identity (mi_res_id), else null
 * @param secrets client secrets of an application (values, never logged)
 * @param certificates registered certificates of an application
 */
public record Identity(
    Type type,
    String name,
    String clientId,
    String objectId,
    String resourceId,
    List<Secret> secrets,
    List<X509Certificate> certificates) {

  /** How an identity authenticates. */
  public enum Type {
    SYSTEM_ASSIGNED,
    USER_ASSIGNED,
    APPLICATION
  }

  /** A client secret with its expiry. */
  public record Secret(String value, Instant expires) {
    @Override
    public String toString() {
      return "Secret[hidden, expires=" + expires + "]";
    }
  }

  public boolean managed() {
    return type != Type.APPLICATION;
  }
}
