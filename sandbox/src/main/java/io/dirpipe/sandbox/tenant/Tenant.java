package io.dirpipe.sandbox.tenant;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The emulated Entra tenant: directory objects, memberships, identities and their permissions. */
public final class Tenant {
  /** A directory schema extension of users (an app's extension property), as Graph names it. */
  public static final String COST_CENTER = "extension_3f1a9c7e2b4d4e6f8a0b1c2d3e4f5a6b_costCenter";

  /** What to generate. Same spec, same tenant. */
  public record Spec(long seed, int users, int groups, int devices, int applications) {
    /**
     * Defaults sized from the user count: a group per 100 users, a device per 2, an app per 100.
     */
    public static Spec forUsers(long seed, int users) {
      return new Spec(seed, users, Math.max(5, users / 100), users / 2, Math.max(3, users / 100));
    }
  }

  /** An app role granted to a principal on the Graph service principal. */
  public record Assignment(
      String id, String principalId, String resourceId, String appRoleId, String created) {}

  private final Spec spec;
  private final String tenantId;
  private final String subscriptionId;
  private final Ids ids;
  private final Clock clock;
  private final ChangeLog log = new ChangeLog();
  private final Map<Kind, ObjectStore> stores = new EnumMap<>(Kind.class);
  private final Memberships memberships;
  private final Relations relations;

  /** Users' managers: a relation of one (or none) per user. */
  private final Relations managers;

  /** Users assigned an app's default role (the app role assignments of generated apps). */
  private final Relations appRoleAssignments;

  private final RoleManagement roleManagement = new RoleManagement(this);
  private final ConditionalAccess conditionalAccess;
  private final AuditLog auditLog = new AuditLog(this);
  private final Registrations registrations = new Registrations(this);
  private final Map<String, Identity> identitiesByClientId = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Assignment>> assignments = new ConcurrentHashMap<>();
  private final Set<String> armReaders = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<String>> federated = new ConcurrentHashMap<>();

  private final AtomicInteger identityCounter = new AtomicInteger();
  private final String graphServicePrincipalId;
  private final SecureRandom random = new SecureRandom();
  private final Generator generator;

  public Tenant(Spec spec, Clock clock) {
    this.spec = spec;
    this.clock = clock;
    this.ids = new Ids(spec.seed());
    this.generator = new Generator(spec.seed(), ids, spec.users(), spec.applications());
    this.tenantId = guid(0x7e0a);
    this.subscriptionId = guid(0x50b5);
    int[] bases = {
      spec.users(),
      spec.groups(),
      spec.devices(),
      spec.applications(),
      spec.applications(),
      Generator.ROLES.length,
      Math.max(2, spec.groups() / 50),
      spec.applications()
    };
    for (Kind kind : Kind.values()) {
      stores.put(kind, new ObjectStore(kind, bases[kind.ordinal()], generator, ids, log));
    }
    this.memberships =
        new Memberships(
            spec.seed(),
            ids,
            store(Kind.USER),
            store(Kind.GROUP),
            spec.users(),
            spec.groups(),
            log);
    this.relations =
        new Relations(
            spec.seed(), ids, this::store, spec.users(), bases, Relations::ownersAndMembers);
    this.managers =
        new Relations(
            Mix.hash(spec.seed(), 0x3a9),
            ids,
            this::store,
            spec.users(),
            bases,
            Relations::managers);
    this.appRoleAssignments =
        new Relations(
            Mix.hash(spec.seed(), 0xa55),
            ids,
            this::store,
            spec.users(),
            bases,
            Relations::appRoles);
    this.conditionalAccess = new ConditionalAccess(this);
    this.graphServicePrincipalId = store(Kind.SERVICE_PRINCIPAL).create(graphServicePrincipal());
  }

  private String guid(long salt) {
    long a = Mix.hash(spec.seed(), salt);
    long b = Mix.hash(a, salt);
    return String.format(
        Locale.ROOT,
        "%08x-%04x-4%03x-9%03x-%012x",
        a >>> 32,
        (a >>> 16) & 0xffff,
        a & 0xfff,
        (b >>> 52) & 0xfff,
        b & 0xffffffffffffL);
  }

  private static Map<String, Object> graphServicePrincipal() {
    List<Object> roles = new ArrayList<>();
    GraphPermissions.APP_ROLES.forEach(
        (value, id) -> {
          Map<String, Object> role = new LinkedHashMap<>();
          role.put("allowedMemberTypes", List.of("Application"));
          role.put("description", "Allows the app to use " + value + " without a signed-in user.");
          role.put("displayName", value);
          role.put("id", id);
          role.put("isEnabled", true);
          role.put("value", value);
          roles.add(role);
        });
    // A delegated-only permission, so that grants can refuse it (allowedMemberTypes: User only).
    roles.add(
        Map.of(
            "allowedMemberTypes",
            List.of("User"),
            "description",
            "Sign in and read user profile",
            "displayName",
            "User.Read (delegated)",
            "id",
            "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
            "isEnabled",
            true,
            "value",
            "User.Read"));
    Map<String, Object> sp = new LinkedHashMap<>();
    sp.put("appId", GraphPermissions.GRAPH_APP_ID);
    sp.put("displayName", "Microsoft Graph");
    sp.put("servicePrincipalType", "Application");
    sp.put("accountEnabled", true);
    sp.put("appOwnerOrganizationId", "f8cdef31-a31e-4b4a-93e4-5f571e91255a");
    sp.put("appRoleAssignmentRequired", false);
    sp.put(
        "servicePrincipalNames",
        List.of(GraphPermissions.GRAPH_APP_ID, "https://graph.microsoft.com"));
    sp.put("tags", List.of());
    sp.put("signInAudience", "AzureADMultipleOrgs");
    sp.put("preferredSingleSignOnMode", null);
    sp.put("appRoles", roles);
    sp.put("passwordCredentials", List.of());
    sp.put("keyCredentials", List.of());
    return sp;
  }

  public Spec spec() {
    return spec;
  }

  /**
   * A generated object of a kind for a new position: the template of objects created by mutations.
   */
  Map<String, Object> generatorSample(Kind kind, int position) {
    return generator.generate(kind, position);
  }

  /** The properties objects of a kind have (what {@code $select} may name). */
  public Set<String> properties(Kind kind) {
    return generator.generate(kind, 0).keySet();
  }

  public String tenantId() {
    return tenantId;
  }

  public String subscriptionId() {
    return subscriptionId;
  }

  public Ids ids() {
    return ids;
  }

  public Clock clock() {
    return clock;
  }

  public ChangeLog changeLog() {
    return log;
  }

  public ObjectStore store(Kind kind) {
    return stores.get(kind);
  }

  /** Conditional access policies. */
  /**
   * How many objects (or edges) of a dirpipe collection the tenant holds now: what a complete
   * extraction must find. Null for group memberships (counted by {@link #memberships()}) and for an
   * unknown name.
   */
  public Long count(String collection) {
    return switch (collection) {
      case "roleDefinitions" -> (long) roleManagement.definitions().size();
      case "roleAssignments" -> (long) roleManagement.assignments().size();
      case "roleEligibilitySchedules" -> (long) roleManagement.eligibilities().size();
      case "roleAssignmentSchedules" -> (long) roleManagement.assignmentSchedules().size();
      case "directoryRoleTemplates" -> (long) roleManagement.templates().size();
      case "conditionalAccessPolicies" -> (long) conditionalAccess.policies().size();
      case "userRegistrationDetails" -> (long) store(Kind.USER).count();
      case "directoryAudits" -> (long) auditLog.events(AuditLog.Stream.DIRECTORY_AUDITS).size();
      case "signIns" -> (long) auditLog.events(AuditLog.Stream.SIGN_INS).size();
      case "groupOwners" -> edges(relations, Kind.GROUP);
      case "applicationOwners" -> edges(relations, Kind.APPLICATION);
      case "servicePrincipalOwners" -> edges(relations, Kind.SERVICE_PRINCIPAL);
      case "directoryRoleMembers" -> edges(relations, Kind.DIRECTORY_ROLE);
      case "administrativeUnitMembers" -> edges(relations, Kind.ADMINISTRATIVE_UNIT);
      case "delegatedPermissions" -> {
        ObjectStore grants = store(Kind.OAUTH2_PERMISSION_GRANT);
        long n = 0;
        for (int p = 0; p < grants.positions(); p++) {
          Map<String, Object> g = grants.at(p);
          if (g != null) {
            n += String.valueOf(g.get("scope")).trim().split("\\s+").length;
          }
        }
        yield n;
      }
      case "userManagers" -> {
        ObjectStore users = store(Kind.USER);
        long n = 0;
        for (int p = 0; p < users.positions(); p++) {
          if (users.at(p) != null && manager(users.idAt(p)) != null) {
            n++;
          }
        }
        yield n;
      }
      case "appRoleAssignments" ->
          edges(appRoleAssignments, Kind.SERVICE_PRINCIPAL) + graphAssignments().size();
      default -> {
        Kind kind = Kind.ofSegment(collection);
        yield kind == null ? null : (long) store(kind).count();
      }
    };
  }

  private long edges(Relations of, Kind parent) {
    ObjectStore parents = store(parent);
    long n = 0;
    for (int p = 0; p < parents.positions(); p++) {
      if (parents.at(p) != null) {
        n += of.of(parent, parents.idAt(p)).size();
      }
    }
    return n;
  }

  /** Who has registered which authentication methods. */
  public Registrations registrations() {
    return registrations;
  }

  /** The directory's audit log and sign-ins. */
  public AuditLog auditLog() {
    return auditLog;
  }

  public ConditionalAccess conditionalAccess() {
    return conditionalAccess;
  }

  /** Role definitions and active role assignments (unified RBAC). */
  public RoleManagement roleManagement() {
    return roleManagement;
  }

  /** Owners of groups, applications and service principals; members of directory roles. */
  public Relations relations() {
    return relations;
  }

  /** The users' managers (a user is never its own: such a pick is no manager). */
  public Relations managers() {
    return managers;
  }

  /** A user's manager's id, or null. */
  public String manager(String userId) {
    for (Memberships.Member m : managers.of(Kind.USER, userId)) {
      if (!m.id().equals(userId)) {
        return m.id();
      }
    }
    return null;
  }

  /** The app role assignments of generated service principals (default access, to users). */
  public Relations appRoleAssignments() {
    return appRoleAssignments;
  }

  /**
   * Every app role assignment granted on Microsoft Graph's service principal (by {@link #assign}).
   */
  public List<Assignment> graphAssignments() {
    List<Assignment> all = new ArrayList<>();
    assignments.values().forEach(held -> all.addAll(held.values()));
    return all;
  }

  public Memberships memberships() {
    return memberships;
  }

  /**
   * Deletes a directory object as Entra does: into deleted items ({@code reason} {@code changed},
   * devices {@code deleted}), and out of every group it was a member of. Those removals are
   * changes of the groups: their delta reports them in {@code members@delta} with {@code
   * @removed}, as Microsoft's Q&A answer on deleted users describes (the reference pages do not
   * say; dirpipe's FULL member listing sweeps such edges whatever a delta reports).
   *
   * <p>A deleted group keeps its members (a restore brings them back), but its edges leave the live
   * membership graph: a FULL member listing no longer shows them.
   *
   * @return the edges that left the live membership graph ({@code groupId/memberId}: the groups the
   *     object was removed from and, for a group, its own members), or null when there was no such
   *     live object
   */
  public List<Memberships.Edge> delete(Kind kind, String id) {
    ObjectStore groups = store(Kind.GROUP);
    List<Memberships.Edge> gone = new java.util.ArrayList<>();
    if (kind == Kind.GROUP && groups.get(id) != null) {
      for (Memberships.Member m : memberships.all(ids.indexOf(id))) {
        gone.add(new Memberships.Edge(id, m.id(), m.type()));
      }
    }
    if (!store(kind).delete(id, kind == Kind.DEVICE ? "deleted" : "changed")) {
      return null;
    }
    String type = kind == Kind.GROUP ? "group" : "user";
    for (int g = 0; g < groups.positions(); g++) {
      if (groups.at(g) != null && memberships.remove(g, id)) {
        gone.add(new Memberships.Edge(groups.idAt(g), id, type));
      }
    }
    return gone;
  }

  public String graphServicePrincipalId() {
    return graphServicePrincipalId;
  }

  /** Adds a managed identity (its service principal too) holding the given Graph permissions. */
  public Identity addManagedIdentity(
      Identity.Type type, String name, Collection<String> permissions) {
    int n = identityCounter.incrementAndGet();
    String clientId = guid(0x1d00 + n);
    Map<String, Object> sp = servicePrincipal(name, clientId, "ManagedIdentity");
    String oid = store(Kind.SERVICE_PRINCIPAL).create(sp);
    String resourceId =
        type == Identity.Type.USER_ASSIGNED
            ? "/subscriptions/"
                + subscriptionId
                + "/resourcegroups/dirpipe/providers/Microsoft.ManagedIdentity/userAssignedIdentities/"
                + name
            : null;
    Identity identity = new Identity(type, name, clientId, oid, resourceId, List.of(), List.of());
    identitiesByClientId.put(clientId, identity);
    permissions.forEach(p -> assign(oid, appRoleId(p)));
    return identity;
  }

  /** Adds an application with a generated client secret and optional certificates. */
  public Identity addApplication(
      String name,
      Collection<String> permissions,
      List<X509Certificate> certificates,
      Duration secretLifetime) {
    int n = identityCounter.incrementAndGet();
    String clientId = guid(0x1d00 + n);
    Map<String, Object> app = new LinkedHashMap<>();
    app.put("appId", clientId);
    app.put("displayName", name);
    app.put("signInAudience", "AzureADMyOrg");
    store(Kind.APPLICATION).create(app);
    String oid =
        store(Kind.SERVICE_PRINCIPAL).create(servicePrincipal(name, clientId, "Application"));
    byte[] secret = new byte[30];
    random.nextBytes(secret);
    Identity.Secret s =
        new Identity.Secret(
            Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
            clock.instant().plus(secretLifetime));
    Identity identity =
        new Identity(
            Identity.Type.APPLICATION,
            name,
            clientId,
            oid,
            null,
            List.of(s),
            List.copyOf(certificates));
    identitiesByClientId.put(clientId, identity);
    permissions.forEach(p -> assign(oid, appRoleId(p)));
    return identity;
  }

  private Map<String, Object> servicePrincipal(String name, String appId, String type) {
    Map<String, Object> sp = new LinkedHashMap<>();
    sp.put("appId", appId);
    sp.put("displayName", name);
    sp.put("servicePrincipalType", type);
    sp.put("accountEnabled", true);
    sp.put("appRoleAssignmentRequired", false);
    sp.put("servicePrincipalNames", List.of(appId));
    sp.put("tags", List.of());
    sp.put("appRoles", List.of());
    sp.put("passwordCredentials", List.of());
    sp.put("keyCredentials", List.of());
    return sp;
  }

  public Collection<Identity> identities() {
    return identitiesByClientId.values();
  }

  public Identity identityByClientId(String clientId) {
    return clientId == null ? null : identitiesByClientId.get(clientId);
  }

  public Identity identityByObjectId(String oid) {
    return identitiesByClientId.values().stream()
        .filter(i -> i.objectId().equals(oid))
        .findFirst()
        .orElse(null);
  }

  public Identity identityByResourceId(String resourceId) {
    return identitiesByClientId.values().stream()
        .filter(i -> resourceId.equalsIgnoreCase(i.resourceId()))
        .findFirst()
        .orElse(null);
  }

  /** The system-assigned identity of "this host", if one was added. */
  public Identity systemAssigned() {
    return identitiesByClientId.values().stream()
        .filter(i -> i.type() == Identity.Type.SYSTEM_ASSIGNED)
        .findFirst()
        .orElse(null);
  }

  /**
   * The app role id of a Graph application permission.
   *
   * @throws IllegalArgumentException for an unknown permission, listing the known ones
   */
  public static String appRoleId(String permission) {
    String id = GraphPermissions.APP_ROLES.get(permission);
    if (id == null) {
      throw new IllegalArgumentException(
          "Unknown Graph application permission '"
              + permission
              + "'; known: "
              + GraphPermissions.APP_ROLES.keySet());
    }
    return id;
  }

  /** Grants an app role of Graph to a principal; returns the (new or existing) assignment. */
  public Assignment assign(String principalId, String appRoleId) {
    Map<String, Assignment> held =
        assignments.computeIfAbsent(principalId, k -> new ConcurrentHashMap<>());
    return held.computeIfAbsent(
        appRoleId,
        r ->
            new Assignment(
                RoleManagement.pairId(principalId, r),
                principalId,
                graphServicePrincipalId,
                r,
                clock.instant().toString()));
  }

  public void revoke(String principalId, String appRoleId) {
    Map<String, Assignment> held = assignments.get(principalId);
    if (held != null) {
      held.remove(appRoleId);
    }
  }

  public List<Assignment> assignmentsOf(String principalId) {
    return List.copyOf(assignments.getOrDefault(principalId, Map.of()).values());
  }

  /**
   * The Graph permission values a principal holds: what its next Graph token's roles claim says.
   */
  public Set<String> permissionsOf(String principalId) {
    Set<String> values = new TreeSet<>();
    Map<String, String> byId = new LinkedHashMap<>();
    GraphPermissions.APP_ROLES.forEach((v, id) -> byId.put(id, v));
    for (Assignment a : assignmentsOf(principalId)) {
      String v = byId.get(a.appRoleId());
      if (v != null) {
        values.add(v);
      }
    }
    return values;
  }

  /**
   * Adds a federated identity credential to an application: tokens of that subject, issued by the
   * sandbox's OIDC issuer for audience {@code api://AzureADTokenExchange}, are accepted as its
   * assertion (workload identity).
   */
  public void federate(String clientId, String subject) {
    federated.computeIfAbsent(clientId, k -> ConcurrentHashMap.newKeySet()).add(subject);
  }

  public boolean federated(String clientId, String subject) {
    return federated.getOrDefault(clientId, Set.of()).contains(subject);
  }

  /** Azure RBAC: principals with Reader on the sandbox subscription (authorises ARM reads). */
  public Set<String> armReaders() {
    return armReaders;
  }
}
