package io.dirpipe.identity;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * Where tokens come from: the tenant, the Entra authority host and the trust store used to reach
 * it. (Credential kinds arrive with the identity module's issue; these keys are the ones the
 * sandbox prints.)
 */
public final class IdentityConfig extends AbstractConfig {
  public static final String TENANT_ID = "tenant.id";
  public static final String AUTHORITY_HOST = "authority.host";
  public static final String TRUSTSTORE = "truststore";
  public static final String TRUSTSTORE_PASSWORD = "truststore.password";

  public static final ConfigDef DEF =
      new ConfigDef()
          .define(
              TENANT_ID, Type.STRING, null, Importance.HIGH, "Entra tenant id (GUID) to extract.")
          .define(
              AUTHORITY_HOST,
              Type.STRING,
              "https://login.microsoftonline.com",
              Importance.LOW,
              "Entra authority host for client-secret and certificate credentials (https only).")
          .define(
              TRUSTSTORE,
              Type.STRING,
              null,
              Importance.LOW,
              "PKCS#12 trust store for the authority host (the sandbox's self-signed certificate).")
          .define(
              TRUSTSTORE_PASSWORD,
              Type.PASSWORD,
              null,
              Importance.LOW,
              "Password of the trust store.");

  public IdentityConfig(Map<String, ?> values) {
    super(DEF, values, false);
  }

  public String tenantId() {
    return getString(TENANT_ID);
  }

  public String authorityHost() {
    return getString(AUTHORITY_HOST);
  }

  public String trustStore() {
    return getString(TRUSTSTORE);
  }

  public Password trustStorePassword() {
    return getPassword(TRUSTSTORE_PASSWORD);
  }
}
