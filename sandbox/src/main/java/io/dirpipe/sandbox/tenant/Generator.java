package io.dirpipe.sandbox.tenant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Computes the generated objects of a tenant from (seed, kind, index). Values follow what Graph
 * returns: ISO-8601 timestamps as strings, null for unset properties, GUID strings for ids.
 */
final class Generator {
  static final String DOMAIN = "dirpipe-sandbox.onmicrosoft.com";
  private static final String[] FIRST = {
    "Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger",
    "Katherine", "Donald", "Radia", "Tim", "Hedy", "John", "Annie", "Niklaus", "Shafi", "Guido",
    "Sophie", "Leslie", "Lynn", "Vint", "Karen", "Bjarne", "Joan", "James", "Mary", "Robert",
    "Anita", "Brian", "Evelyn", "Charles", "Jean", "Peter", "Carol", "Andrew", "Susan", "David"
  };
  private static final String[] LAST = {
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Allen",
    "Dijkstra",
    "Johnson",
    "Knuth",
    "Perlman",
    "Berners-Lee",
    "Lamarr",
    "McCarthy",
    "Easley",
    "Wirth",
    "Goldwasser",
    "Rossum",
    "Wilson",
    "Lamport",
    "Conway",
    "Cerf",
    "Jones",
    "Stroustrup",
    "Clarke",
    "Gosling",
    "Keller",
    "Tarjan",
    "Borg",
    "Kernighan",
    "Boyd",
    "Babbage",
    "Sammet",
    "Naur",
    "Shaw",
    "Yao",
    "Kare",
    "Patterson"
  };
  static final String[] DEPARTMENTS = {
    "Sales",
    "Marketing",
    "Finance",
    "Engineering",
    "Research",
    "Operations",
    "Legal",
    "Support",
    "Human Resources",
    "Procurement",
    "Security",
    "Data"
  };
  private static final String[] TITLES = {
    "Analyst",
    "Engineer",
    "Manager",
    "Director",
    "Consultant",
    "Specialist",
    "Architect",
    "Lead",
    "Coordinator",
    "Administrator"
  };
  private static final String[] OFFICES = {"London", "Paris", "Berlin", "Madrid", "Oslo", "Dublin"};
  private static final String[] COUNTRIES = {"GB", "FR", "DE", "ES", "NO", "IE"};
  static final String[] SKUS = {
    "6fd2c87f-b296-42f0-b197-1e91e994b900", // Office 365 E3
    "06ebc4ee-1bb5-47dd-8120-11324bc54e06", // Microsoft 365 E5
    "18181a46-0d4e-45cd-891e-60aabd171b4e" // Office 365 E1
  };
  private static final Instant EPOCH = Instant.parse("2018-01-01T00:00:00Z");

  private final long seed;
  private final Ids ids;
  private final int users;
  private final int applications;

  /**
   * @param users the generated users (grants for one user pick among them)
   * @param applications the generated applications (a grant's resource is one of their service
   *     principals)
   */
  Generator(long seed, Ids ids, int users, int applications) {
    this.seed = seed;
    this.ids = ids;
    this.users = users;
    this.applications = applications;
  }

  private long h(Kind kind, int index, int salt) {
    return Mix.hash(seed, kind.code * 0x100000000L + index, salt);
  }

  private String pick(String[] values, Kind kind, int index, int salt) {
    return values[Mix.below(h(kind, index, salt), values.length)];
  }

  private boolean chance(Kind kind, int index, int salt, int percent) {
    return Mix.below(h(kind, index, salt), 100) < percent;
  }

  private String time(Kind kind, int index, int salt, int maxDays) {
    return EPOCH.plusSeconds(Mix.below(h(kind, index, salt), maxDays * 86_400)).toString();
  }

  private String guid(Kind kind, int index, int salt) {
    long a = h(kind, index, salt);
    long b = h(kind, index, salt + 1);
    return String.format(
        Locale.ROOT,
        "%08x-%04x-4%03x-a%03x-%012x",
        a >>> 32,
        (a >>> 16) & 0xffff,
        a & 0xfff,
        (b >>> 48) & 0xfff,
        b & 0xffffffffffffL);
  }

  Map<String, Object> user(int i) {
    Kind k = Kind.USER;
    String first = pick(FIRST, k, i, 1);
    String last = pick(LAST, k, i, 2);
    String nick = (first + "." + last).toLowerCase(Locale.ROOT).replace("-", "") + i;
    boolean guest = chance(k, i, 3, 5);
    boolean synced = !guest && chance(k, i, 4, 40);
    int office = Mix.below(h(k, i, 5), OFFICES.length);
    Map<String, Object> u = new LinkedHashMap<>(48);
    u.put("id", ids.of(k, i));
    u.put("businessPhones", List.of());
    u.put("displayName", first + " " + last);
    u.put("givenName", first);
    u.put("surname", last);
    u.put(
        "userPrincipalName",
        guest ? nick + "_partner.example#EXT#@" + DOMAIN : nick + "@" + DOMAIN);
    u.put("mail", guest ? nick + "@partner.example" : nick + "@" + DOMAIN);
    u.put("mailNickname", nick);
    u.put("mobilePhone", null);
    u.put("preferredLanguage", "en-US");
    u.put("accountEnabled", !chance(k, i, 6, 8));
    u.put("userType", guest ? "Guest" : "Member");
    u.put(
        "externalUserState",
        guest ? (chance(k, i, 7, 80) ? "Accepted" : "PendingAcceptance") : null);
    u.put("creationType", guest ? "Invitation" : null);
    u.put("jobTitle", guest ? null : pick(TITLES, k, i, 8));
    u.put("department", guest ? null : pick(DEPARTMENTS, k, i, 9));
    u.put("companyName", guest ? "Partner Ltd" : "Contoso");
    u.put("officeLocation", guest ? null : OFFICES[office]);
    u.put("usageLocation", COUNTRIES[office]);
    u.put("employeeId", guest ? null : String.format(Locale.ROOT, "E%07d", i));
    u.put("createdDateTime", time(k, i, 10, 2500));
    u.put("onPremisesSyncEnabled", synced ? Boolean.TRUE : null);
    u.put("onPremisesImmutableId", synced ? guid(k, i, 11).substring(0, 24) + "==" : null);
    u.put(
        "onPremisesSamAccountName", synced ? nick.substring(0, Math.min(nick.length(), 20)) : null);
    u.put("onPremisesLastSyncDateTime", synced ? time(k, i, 12, 2800) : null);
    u.put("assignedLicenses", guest ? List.of() : licenses(i));
    u.put("proxyAddresses", guest ? List.of() : List.of("SMTP:" + nick + "@" + DOMAIN));
    Map<String, Object> custom = new LinkedHashMap<>(24);
    for (int a = 1; a <= 15; a++) {
      custom.put("extensionAttribute" + a, null);
    }
    custom.put("extensionAttribute1", synced ? "OU=" + pick(DEPARTMENTS, k, i, 9) : null);
    u.put("onPremisesExtensionAttributes", custom);
    u.put(Tenant.COST_CENTER, guest ? null : "CC-" + (100 + i % 50));
    return u;
  }

  private List<Object> licenses(int i) {
    Map<String, Object> license = new LinkedHashMap<>();
    license.put("disabledPlans", List.of());
    license.put("skuId", pick(SKUS, Kind.USER, i, 13));
    return List.of(license);
  }

  Map<String, Object> group(int i) {
    Kind k = Kind.GROUP;
    int type = Mix.below(h(k, i, 1), 10); // 0-3 Microsoft 365, 4-8 security, 9 dynamic security
    String dept = pick(DEPARTMENTS, k, i, 2);
    String name = dept + (type < 4 ? " Team " : type < 9 ? " Access " : " Dynamic ") + i;
    String nick = name.toLowerCase(Locale.ROOT).replace(' ', '-');
    Map<String, Object> g = new LinkedHashMap<>(32);
    g.put("id", ids.of(k, i));
    g.put("displayName", name);
    g.put("description", "Members of " + name);
    g.put("mail", type < 4 ? nick + "@" + DOMAIN : null);
    g.put("mailEnabled", type < 4);
    g.put("mailNickname", nick);
    g.put("securityEnabled", type >= 4);
    g.put(
        "groupTypes",
        type < 4 ? List.of("Unified") : type == 9 ? List.of("DynamicMembership") : List.of());
    g.put("membershipRule", type == 9 ? "user.department -eq \"" + dept + "\"" : null);
    g.put("membershipRuleProcessingState", type == 9 ? "On" : null);
    g.put("visibility", type < 4 ? (chance(k, i, 3, 70) ? "Private" : "Public") : null);
    g.put("isAssignableToRole", type >= 4 && chance(k, i, 4, 2) ? Boolean.TRUE : null);
    g.put("createdDateTime", time(k, i, 5, 2500));
    g.put("securityIdentifier", "S-1-12-1-" + Math.abs(h(k, i, 6) % 4_000_000_000L) + "-" + i);
    boolean synced = type >= 4 && chance(k, i, 7, 30);
    g.put("onPremisesSyncEnabled", synced ? Boolean.TRUE : null);
    g.put(
        "onPremisesSecurityIdentifier",
        synced ? "S-1-5-21-" + Math.abs(h(k, i, 8) % 1_000_000_000L) + "-" + i : null);
    g.put("onPremisesLastSyncDateTime", synced ? time(k, i, 9, 2800) : null);
    return g;
  }

  Map<String, Object> device(int i) {
    Kind k = Kind.DEVICE;
    int os = Mix.below(h(k, i, 1), 4);
    String[] oses = {"Windows", "iOS", "Android", "macOS"};
    String[] versions = {"10.0.22631.4602", "17.6.1", "14", "14.7.1"};
    String[] makers = {"Microsoft Corporation", "Apple", "Samsung", "Apple"};
    String[] models = {"Surface Laptop 5", "iPhone 15", "Galaxy S23", "MacBook Pro"};
    Map<String, Object> d = new LinkedHashMap<>(32);
    d.put("id", ids.of(k, i));
    d.put("deviceId", guid(k, i, 2));
    d.put(
        "displayName",
        (os == 0 ? "DESKTOP-" : os == 3 ? "MAC-" : "MOBILE-")
            + String.format(Locale.ROOT, "%06X", i));
    d.put("operatingSystem", oses[os]);
    d.put("operatingSystemVersion", versions[os]);
    d.put("accountEnabled", !chance(k, i, 3, 3));
    d.put("trustType", os == 0 ? (chance(k, i, 4, 30) ? "ServerAd" : "AzureAd") : "Workplace");
    d.put("isCompliant", chance(k, i, 5, 85));
    d.put("isManaged", chance(k, i, 6, 90));
    d.put("profileType", "RegisteredDevice");
    d.put("manufacturer", makers[os]);
    d.put("model", models[os]);
    d.put("registrationDateTime", time(k, i, 7, 2500));
    d.put("approximateLastSignInDateTime", time(k, i, 8, 2880));
    d.put("onPremisesSyncEnabled", null);
    d.put("onPremisesLastSyncDateTime", null);
    return d;
  }

  /** The app id of generated application i (its service principal shares it). */
  String appId(int i) {
    return guid(Kind.APPLICATION, i, 1);
  }

  Map<String, Object> application(int i) {
    Kind k = Kind.APPLICATION;
    String name = pick(DEPARTMENTS, k, i, 2) + " Portal " + i;
    Map<String, Object> a = new LinkedHashMap<>(24);
    a.put("id", ids.of(k, i));
    a.put("appId", appId(i));
    a.put("displayName", name);
    a.put("description", null);
    a.put("signInAudience", chance(k, i, 3, 80) ? "AzureADMyOrg" : "AzureADMultipleOrgs");
    a.put("publisherDomain", DOMAIN);
    a.put("createdDateTime", time(k, i, 4, 2500));
    a.put("identifierUris", List.of("api://" + appId(i)));
    a.put("tags", List.of());
    a.put("notes", null);
    a.put("passwordCredentials", credentials(k, i));
    a.put("keyCredentials", List.of());
    return a;
  }

  private List<Object> credentials(Kind k, int i) {
    Map<String, Object> secret = new LinkedHashMap<>();
    String start = time(k, i, 5, 2400);
    secret.put("displayName", "client secret");
    secret.put("endDateTime", Instant.parse(start).plusSeconds(730L * 86_400).toString());
    secret.put("hint", "abc");
    secret.put("keyId", guid(k, i, 6));
    secret.put("startDateTime", start);
    return List.of(secret);
  }

  /** Service principal i: the one of generated application i. */
  Map<String, Object> servicePrincipal(int i) {
    Map<String, Object> app = application(i);
    Map<String, Object> sp = new LinkedHashMap<>(24);
    sp.put("id", ids.of(Kind.SERVICE_PRINCIPAL, i));
    sp.put("appId", app.get("appId"));
    sp.put("displayName", app.get("displayName"));
    sp.put("servicePrincipalType", "Application");
    sp.put("accountEnabled", true);
    sp.put("appOwnerOrganizationId", null);
    sp.put("appRoleAssignmentRequired", false);
    sp.put("servicePrincipalNames", List.of(app.get("appId"), "api://" + app.get("appId")));
    sp.put("tags", List.of("WindowsAzureActiveDirectoryIntegratedApp"));
    sp.put("signInAudience", app.get("signInAudience"));
    sp.put("preferredSingleSignOnMode", null);
    sp.put("appRoles", List.of());
    sp.put("passwordCredentials", List.of());
    sp.put("keyCredentials", List.of());
    return sp;
  }

  /** Activated directory roles: (template id, name). */
  static final String[][] ROLES = {
    {"62e90394-69f5-4237-9190-012177145e10", "Global Administrator"},
    {"f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader"},
    {"fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator"},
    {"fdd7a751-b60b-444a-984c-02652fe8fa1c", "Groups Administrator"},
    {"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator"},
    {"729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator"},
    {"5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader"},
    {"e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator"}
  };

  Map<String, Object> directoryRole(int i) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", ids.of(Kind.DIRECTORY_ROLE, i));
    r.put("displayName", ROLES[i][1]);
    r.put("description", "Members of " + ROLES[i][1] + ".");
    r.put("roleTemplateId", ROLES[i][0]);
    return r;
  }

  private static final String[] REGIONS = {
    "Seattle", "Munich", "Lagos", "Osaka", "Lima", "Perth", "Oslo", "Pune", "Quebec", "Nairobi"
  };

  /** Administrative unit i: a region, one in four hidden membership, one in ten restricted. */
  Map<String, Object> administrativeUnit(int i) {
    long h = Mix.hash(seed, Kind.ADMINISTRATIVE_UNIT.code, i);
    Map<String, Object> au = new LinkedHashMap<>();
    au.put("id", ids.of(Kind.ADMINISTRATIVE_UNIT, i));
    String region = REGIONS[i % REGIONS.length] + (i < REGIONS.length ? "" : " " + i);
    au.put("displayName", region);
    au.put("description", "People and devices managed in " + region + ".");
    au.put("visibility", Mix.below(h, 4) == 0 ? "HiddenMembership" : null);
    au.put("isMemberManagementRestricted", Mix.below(Mix.hash(h, 1), 10) == 0);
    au.put("membershipType", null);
    au.put("membershipRule", null);
    au.put("membershipRuleProcessingState", null);
    return au;
  }

  /** Delegated scopes clients are granted, as Graph's consent screens name them. */
  private static final String[] SCOPES = {
    "openid profile offline_access User.Read",
    "User.Read Mail.Read",
    "User.Read.All Group.Read.All",
    "Files.ReadWrite.All Sites.Read.All",
    "Directory.Read.All"
  };

  /**
   * Delegated permission grant i: generated application i's service principal (the client) may call
   * the next application's (the resource) with some scopes, for all users (four in five) or for
   * one.
   */
  Map<String, Object> oauth2PermissionGrant(int i) {
    long h = Mix.hash(seed, Kind.OAUTH2_PERMISSION_GRANT.code, i);
    boolean everyone = Mix.below(h, 5) != 0;
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("id", ids.of(Kind.OAUTH2_PERMISSION_GRANT, i));
    g.put("clientId", ids.of(Kind.SERVICE_PRINCIPAL, i));
    g.put("consentType", everyone ? "AllPrincipals" : "Principal");
    g.put(
        "principalId",
        everyone ? null : ids.of(Kind.USER, Mix.below(Mix.hash(h, 1), Math.max(1, users))));
    g.put("resourceId", ids.of(Kind.SERVICE_PRINCIPAL, (i + 1) % Math.max(1, applications)));
    g.put("scope", SCOPES[Mix.below(Mix.hash(h, 2), SCOPES.length)]);
    return g;
  }

  /**
   * The {@code createdDateTime} {@link #generate} gives object i, computed alone (range filters and
   * counts test it on every object), or null when the kind has none.
   */
  String createdDateTime(Kind kind, int i) {
    return switch (kind) {
      case USER -> time(kind, i, 10, 2500);
      case GROUP -> time(kind, i, 5, 2500);
      case APPLICATION -> time(kind, i, 4, 2500);
      default -> null;
    };
  }

  Map<String, Object> generate(Kind kind, int i) {
    return switch (kind) {
      case USER -> user(i);
      case GROUP -> group(i);
      case DEVICE -> device(i);
      case APPLICATION -> application(i);
      case SERVICE_PRINCIPAL -> servicePrincipal(i);
      case DIRECTORY_ROLE -> directoryRole(i);
      case ADMINISTRATIVE_UNIT -> administrativeUnit(i);
      case OAUTH2_PERMISSION_GRANT -> oauth2PermissionGrant(i);
    };
  }

  /** Fresh values for a mutation: a copy of the object with some properties changed. */
  List<String> mutate(Kind kind, Map<String, Object> object, long salt) {
    List<String> changed = new ArrayList<>();
    switch (kind) {
      case USER -> {
        set(
            object,
            "jobTitle",
            TITLES[Mix.below(Mix.hash(salt, 1), TITLES.length)] + " II",
            changed);
        if (Mix.below(Mix.hash(salt, 2), 2) == 0) {
          set(
              object,
              "department",
              DEPARTMENTS[Mix.below(Mix.hash(salt, 3), DEPARTMENTS.length)],
              changed);
        }
        if (Mix.below(Mix.hash(salt, 4), 4) == 0) {
          set(
              object,
              "accountEnabled",
              !Boolean.TRUE.equals(object.get("accountEnabled")),
              changed);
        }
      }
      case GROUP -> set(object, "description", "Updated " + Long.toHexString(salt), changed);
      case DEVICE ->
          set(object, "isCompliant", !Boolean.TRUE.equals(object.get("isCompliant")), changed);
      case APPLICATION, SERVICE_PRINCIPAL ->
          set(object, "displayName", object.get("displayName") + " v2", changed);
      case DIRECTORY_ROLE, ADMINISTRATIVE_UNIT ->
          set(object, "description", "Updated " + Long.toHexString(salt), changed);
      case OAUTH2_PERMISSION_GRANT -> {
        // a consent widened, or narrowed back
        String scope = String.valueOf(object.get("scope"));
        set(
            object,
            "scope",
            scope.endsWith(" Mail.Send")
                ? scope.substring(0, scope.length() - 10)
                : scope + " Mail.Send",
            changed);
      }
    }
    return changed;
  }

  private static void set(Map<String, Object> o, String key, Object value, List<String> changed) {
    if (!java.util.Objects.equals(o.get(key), value)) {
      o.put(key, value);
      changed.add(key);
    }
  }
}
