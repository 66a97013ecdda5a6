package io.dirpipe.sandbox.tenant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who has registered which authentication methods ({@code
 * /reports/authenticationMethods/userRegistrationDetails}): one entry per live user, derived from
 * the seed (seven users in ten with the Authenticator app, some with a FIDO2 key, a few with a
 * phone), and {@link #register} for a user who adds a method later.
 */
public final class Registrations {
  private static final String[] METHODS = {
    "microsoftAuthenticatorPush", "softwareOneTimePasscode", "fido2", "mobilePhone"
  };

  private final Tenant tenant;
  private final Map<String, Set<String>> added = new ConcurrentHashMap<>();

  Registrations(Tenant tenant) {
    this.tenant = tenant;
  }

  /** A user registers a method (e.g. {@code fido2}). */
  public void register(String userId, String method) {
    added.computeIfAbsent(userId, k -> ConcurrentHashMap.newKeySet()).add(method);
  }

  /** The entries, in the users' order. */
  public List<Map<String, Object>> all() {
    ObjectStore users = tenant.store(Kind.USER);
    List<Map<String, Object>> out = new ArrayList<>();
    for (int p = 0; p < users.positions(); p++) {
      Map<String, Object> u = users.at(p);
      if (u != null) {
        out.add(of(users.idAt(p), u));
      }
    }
    return out;
  }

  private Map<String, Object> of(String id, Map<String, Object> user) {
    long h = Mix.hash(id.hashCode(), 0x2fa);
    List<String> methods = new ArrayList<>();
    for (int i = 0; i < METHODS.length; i++) {
      int odds = i == 0 ? 7 : i == 2 ? 2 : 1; // in ten
      if (Mix.below(Mix.hash(h, i), 10) < odds) {
        methods.add(METHODS[i]);
      }
    }
    for (String m : added.getOrDefault(id, Set.of())) {
      if (!methods.contains(m)) {
        methods.add(m);
      }
    }
    boolean mfa = !methods.isEmpty();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", id);
    r.put("userPrincipalName", user.get("userPrincipalName"));
    r.put("userDisplayName", user.get("displayName"));
    r.put("isAdmin", false);
    r.put("isSsprRegistered", mfa);
    r.put("isSsprEnabled", true);
    r.put("isSsprCapable", mfa);
    r.put("isMfaRegistered", mfa);
    r.put("isMfaCapable", mfa);
    r.put("isPasswordlessCapable", methods.contains("fido2"));
    r.put("lastUpdatedDateTime", tenant.clock().instant().toString());
    r.put("methodsRegistered", methods);
    r.put("isSystemPreferredAuthenticationMethodEnabled", true);
    r.put("systemPreferredAuthenticationMethods", mfa ? List.of("push") : List.of());
    r.put("userPreferredMethodForSecondaryAuthentication", mfa ? "push" : "");
    r.put("userType", "member");
    return r;
  }
}
