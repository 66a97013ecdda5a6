package io.dirpipe.cli;

import static io.dirpipe.cli.InProcess.dirpipe;
import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.core.kafka.TopicReader;
import io.dirpipe.sandbox.Sandbox;
import io.dirpipe.sandbox.graph.Throttle;
import io.dirpipe.sandbox.kafka.KafkaExtension;
import io.dirpipe.sandbox.kafka.TestKafka;
import io.dirpipe.sandbox.tenant.Kind;
import io.dirpipe.sandbox.tenant.Memberships;
import io.dirpipe.sandbox.tenant.ObjectStore;
import io.dirpipe.sandbox.tenant.Tenant;
import io.dirpipe.schemas.Change;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.EdgeChange;
import io.dirpipe.schemas.MembershipOperation;
import io.dirpipe.schemas.Operation;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.RoleAssignmentSchedule;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security collections end to end on the sandbox: PIM's active schedules, directory role
 * templates, administrative units and their members, app role assignments (a principal holding
 * several roles of one resource is several edges) and delegated grants. diagnose names the missing
 * permission and grant grants it; a FULL run and a delta run publish exactly the tenant's objects
 * and edges; a mutation that activates a role, removes an owner and a unit's member, revokes an app
 * role and a grant, widens a consent and edits a conditional access policy shows up as exactly
 * those change events, and replay answers which groups the policy excluded before and after.
 */
@ExtendWith(KafkaExtension.class)
class SecurityCollectionsIT {
  private static final String OBJECTS =
      "roleAssignmentSchedules,directoryRoleTemplates,administrativeUnits,oauth2PermissionGrants,"
          + "conditionalAccessPolicies,userRegistrationDetails";
  private static final String EDGES =
      "administrativeUnitMembers,appRoleAssignments,groupOwners,userManagers,delegatedPermissions";
  private static final String ALL = OBJECTS + "," + EDGES;
  private static final String GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";

  @TempDir Path dir;

  @Test
  void everyCollectionIsTheTenantsAndEachMutationIsExactlyItsChange(TestKafka broker)
      throws Exception {
    try (Sandbox sandbox =
        Sandbox.start(Sandbox.Options.defaults(300).withQuota(Throttle.Quota.OFF))) {
      Tenant tenant = sandbox.tenant();
      String app = sandbox.application().objectId();
      String prefix = "sec" + UUID.randomUUID().toString().substring(0, 6) + ".";
      Map<String, String> env =
          InProcess.pipelineEnv(sandbox, broker, prefix, dir.resolve("state"), ALL);
      Topics topics = new Topics(prefix);

      // Directory.Read.All reads neither PIM schedules nor policies: diagnose says which permission
      StringWriter diagnosis = new StringWriter();
      assertThat(dirpipe(env, diagnosis, "diagnose", "--collections", ALL, "--json")).isNotZero();
      assertThat(diagnosis.toString())
          .contains("RoleAssignmentSchedule.Read.Directory")
          .contains("Policy.Read.All");
      // ... and grant grants them (the app may assign app roles here)
      tenant.assign(app, Tenant.appRoleId("AppRoleAssignment.ReadWrite.All"));
      StringWriter granted = new StringWriter();
      assertThat(
              dirpipe(
                  env,
                  granted,
                  "grant",
                  "--principal-id",
                  app,
                  "--permissions",
                  "RoleAssignmentSchedule.Read.Directory,Policy.Read.All,AuditLog.Read.All"))
          .as(granted.toString())
          .isZero();
      StringWriter healthy = new StringWriter();
      assertThat(dirpipe(env, healthy, "diagnose", "--collections", ALL, "--json"))
          .as(healthy.toString())
          .isZero();
      // sign-ins need a license no grant gives: diagnose tells the two apart
      tenant.auditLog().premium(false);
      StringWriter unlicensed = new StringWriter();
      assertThat(dirpipe(env, unlicensed, "diagnose", "--collections", "signIns", "--json"))
          .isNotZero();
      assertThat(unlicensed.toString()).contains("LICENSE_REQUIRED").contains("P1 or P2");
      tenant.auditLog().premium(true);

      // FULL, then the first delta round (administrative units and grants by delta query)
      InProcess.extractAndTransform(env, ALL, "full");
      InProcess.extractAndTransform(env, ALL, "delta");
      List<Event> first = changes(broker, topics);
      assertThat(created(first, "roleAssignmentSchedules"))
          .containsExactlyInAnyOrderElementsOf(ids(tenant.roleManagement().assignmentSchedules()));
      assertThat(created(first, "directoryRoleTemplates"))
          .containsExactlyInAnyOrderElementsOf(ids(tenant.roleManagement().templates()));
      assertThat(created(first, "administrativeUnits"))
          .containsExactlyInAnyOrderElementsOf(live(tenant.store(Kind.ADMINISTRATIVE_UNIT)));
      assertThat(created(first, "oauth2PermissionGrants"))
          .containsExactlyInAnyOrderElementsOf(live(tenant.store(Kind.OAUTH2_PERMISSION_GRANT)));
      assertThat(created(first, "userRegistrationDetails"))
          .as("one per user; lastUpdatedDateTime, new at every read, is volatile")
          .containsExactlyInAnyOrderElementsOf(live(tenant.store(Kind.USER)));
      assertThat(first)
          .as("two runs of an unchanged tenant: creations only")
          .allMatch(e -> io.dirpipe.schemas.Envelope.op(e.change()) == Operation.CREATE);
      List<EdgeChange> firstEdges = edgeChanges(broker, topics);
      assertThat(firstEdges).allMatch(c -> c.getOp() == MembershipOperation.ADD);
      assertThat(edges(firstEdges, "administrativeUnitMembers"))
          .containsExactlyInAnyOrderElementsOf(related(tenant, Kind.ADMINISTRATIVE_UNIT));
      assertThat(edges(firstEdges, "groupOwners"))
          .containsExactlyInAnyOrderElementsOf(related(tenant, Kind.GROUP));
      assertThat(edges(firstEdges, "delegatedPermissions"))
          .containsExactlyInAnyOrderElementsOf(
              delegated(tenant.store(Kind.OAUTH2_PERMISSION_GRANT)));
      assertThat(edges(firstEdges, "userManagers"))
          .isNotEmpty()
          .containsExactlyInAnyOrderElementsOf(managers(tenant));
      Set<String> assignments = edges(firstEdges, "appRoleAssignments");
      assertThat(assignments).containsAll(assignedTo(tenant));
      // the app holds five app roles of Microsoft Graph: five edges between the same two objects
      String graph = tenant.graphServicePrincipalId();
      String assigner = Tenant.appRoleId("AppRoleAssignment.ReadWrite.All");
      assertThat(assignments)
          .filteredOn(e -> e.startsWith(app + ">" + graph + "#"))
          .hasSize(5)
          .contains(app + ">" + graph + "#" + assigner);
      assertThat(assignments).hasSize(assignedTo(tenant).size() + tenant.graphAssignments().size());

      // one of each change, then a delta run
      java.time.Instant before = InProcess.tick();
      String user = tenant.ids().of(Kind.USER, 11);
      tenant.roleManagement().activate(GLOBAL_ADMINISTRATOR, user, Duration.ofHours(8));
      String group = tenant.ids().of(Kind.GROUP, 1);
      String owner = tenant.relations().of(Kind.GROUP, group).get(0).id();
      assertThat(tenant.relations().remove(Kind.GROUP, group, owner)).isTrue();
      String unit = tenant.ids().of(Kind.ADMINISTRATIVE_UNIT, 0);
      String member = tenant.relations().of(Kind.ADMINISTRATIVE_UNIT, unit).get(0).id();
      assertThat(tenant.relations().remove(Kind.ADMINISTRATIVE_UNIT, unit, member)).isTrue();
      tenant.revoke(app, assigner); // its work is done
      String managed = tenant.ids().of(Kind.USER, 1);
      String manager = tenant.manager(managed);
      if (manager == null) {
        managed = tenant.ids().of(Kind.USER, 2);
        manager = tenant.manager(managed);
      }
      assertThat(tenant.managers().remove(Kind.USER, managed, manager)).isTrue();
      ObjectStore grants = tenant.store(Kind.OAUTH2_PERMISSION_GRANT);
      String revoked = grants.idAt(0);
      Set<String> revokedScopes = delegated(grants.at(0));
      assertThat(grants.delete(revoked, "deleted")).isTrue();
      String widened = grants.idAt(1);
      Set<String> before1 = delegated(grants.at(1));
      assertThat(grants.mutate(widened, 7)).containsExactly("scope");
      Set<String> added = delegated(grants.at(1));
      added.removeAll(before1);
      String registering =
          tenant.registrations().all().stream()
              .filter(
                  r -> {
                    List<?> methods = (List<?>) r.get("methodsRegistered");
                    return methods.contains("microsoftAuthenticatorPush")
                        && !methods.contains("fido2");
                  })
              .map(r -> String.valueOf(r.get("id")))
              .findFirst()
              .orElseThrow();
      tenant.registrations().register(registering, "fido2");
      String policy = String.valueOf(tenant.conditionalAccess().policies().get(0).get("id"));
      assertThat(tenant.conditionalAccess().excludeGroup(policy, group)).isTrue();
      InProcess.extractAndTransform(env, ALL, "delta");
      java.time.Instant after = InProcess.tick();

      // replay answers which groups the policy excluded then
      assertThat(excludedGroups(env, policy, before)).doesNotContain(group);
      assertThat(excludedGroups(env, policy, after)).contains(group);

      List<Event> second = new ArrayList<>(changes(broker, topics));
      first.forEach(second::remove);
      assertThat(described(second))
          .containsExactlyInAnyOrder(
              "CREATE roleAssignmentSchedules " + activated(tenant, user),
              "DELETE oauth2PermissionGrants " + revoked,
              "UPDATE oauth2PermissionGrants " + widened + " [scope]",
              "UPDATE userRegistrationDetails "
                  + registering
                  + " [isPasswordlessCapable, methodsRegistered]",
              "UPDATE conditionalAccessPolicies " + policy + " [modifiedDateTime, conditions]");
      Event activation =
          second.stream()
              .filter(e -> io.dirpipe.schemas.Envelope.op(e.change()) == Operation.CREATE)
              .findFirst()
              .orElseThrow();
      RoleAssignmentSchedule s = (RoleAssignmentSchedule) activation.change().getAfter();
      assertThat(s.getAssignmentType()).isEqualTo("Activated");
      assertThat(s.getScheduleInfo().getExpiration().getEndDateTime()).isNotNull();

      List<EdgeChange> secondEdges = new ArrayList<>(edgeChanges(broker, topics));
      firstEdges.forEach(secondEdges::remove);
      List<String> expectedEdges = new ArrayList<>();
      revokedScopes.forEach(e -> expectedEdges.add("REMOVE delegatedPermissions " + e));
      added.forEach(e -> expectedEdges.add("ADD delegatedPermissions " + e));
      assertThat(added).as("the consent widened by one scope").hasSize(1);
      assertThat(describedEdges(secondEdges))
          .filteredOn(e -> e.contains(" delegatedPermissions "))
          .containsExactlyInAnyOrderElementsOf(expectedEdges);
      assertThat(describedEdges(secondEdges))
          .filteredOn(e -> !e.contains(" delegatedPermissions "))
          .containsExactlyInAnyOrder(
              "REMOVE groupOwners " + group + ">" + owner,
              "REMOVE administrativeUnitMembers " + unit + ">" + member,
              "REMOVE appRoleAssignments " + app + ">" + graph + "#" + assigner,
              "REMOVE userManagers " + managed + ">" + manager);
    }
  }

  /** The groups a policy excluded as replayed at {@code at}. */
  private List<String> excludedGroups(Map<String, String> env, String policy, java.time.Instant at)
      throws Exception {
    Path out = dir.resolve("policies-" + at.toEpochMilli() + ".jsonl");
    StringWriter replayed = new StringWriter();
    assertThat(
            dirpipe(
                env,
                replayed,
                "replay",
                "--collection",
                "conditionalAccessPolicies",
                "--at",
                at.toString(),
                "--out",
                out.toString()))
        .as(replayed.toString())
        .isZero();
    for (String line : java.nio.file.Files.readAllLines(out)) {
      com.fasterxml.jackson.databind.JsonNode p =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
      if (p.path("id").asText().equals(policy)) {
        List<String> groups = new ArrayList<>();
        p.path("conditions")
            .path("users")
            .path("excludeGroups")
            .forEach(g -> groups.add(g.asText()));
        return groups;
      }
    }
    throw new AssertionError("policy " + policy + " was not in the replay at " + at);
  }

  private static String activated(Tenant tenant, String user) {
    return tenant.roleManagement().assignmentSchedules().stream()
        .filter(s -> user.equals(s.get("principalId")))
        .map(s -> String.valueOf(s.get("id")))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> ids(List<Map<String, Object>> objects) {
    return objects.stream().map(o -> String.valueOf(o.get("id"))).toList();
  }

  private static List<String> live(ObjectStore store) {
    List<String> ids = new ArrayList<>();
    for (int p = 0; p < store.positions(); p++) {
      if (store.at(p) != null) {
        ids.add(store.idAt(p));
      }
    }
    return ids;
  }

  /** Every edge of a relationship in the tenant, as from>to. */
  private static Set<String> related(Tenant tenant, Kind parent) {
    Set<String> edges = new HashSet<>();
    for (String id : live(tenant.store(parent))) {
      for (Memberships.Member m : tenant.relations().of(parent, id)) {
        edges.add(id + ">" + m.id());
      }
    }
    return edges;
  }

  /** The delegated permissions of the live grants, as client>resource#forWhom/scope. */
  private static Set<String> delegated(ObjectStore grants) {
    Set<String> edges = new HashSet<>();
    for (int p = 0; p < grants.positions(); p++) {
      if (grants.at(p) != null) {
        edges.addAll(delegated(grants.at(p)));
      }
    }
    return edges;
  }

  private static Set<String> delegated(Map<String, Object> g) {
    Set<String> edges = new HashSet<>();
    Object principal = g.get("principalId");
    for (String scope : String.valueOf(g.get("scope")).trim().split("\\s+")) {
      edges.add(
          g.get("clientId")
              + ">"
              + g.get("resourceId")
              + "#"
              + (principal == null ? "AllPrincipals" : principal)
              + "/"
              + scope);
    }
    return edges;
  }

  /** Every user with a manager, as user>manager. */
  private static Set<String> managers(Tenant tenant) {
    Set<String> edges = new HashSet<>();
    for (String user : live(tenant.store(Kind.USER))) {
      String manager = tenant.manager(user);
      if (manager != null) {
        edges.add(user + ">" + manager);
      }
    }
    return edges;
  }

  /** The users assigned to generated apps, as user>servicePrincipal#defaultAccess. */
  private static Set<String> assignedTo(Tenant tenant) {
    Set<String> edges = new HashSet<>();
    for (String sp : live(tenant.store(Kind.SERVICE_PRINCIPAL))) {
      for (Memberships.Member m : tenant.appRoleAssignments().of(Kind.SERVICE_PRINCIPAL, sp)) {
        edges.add(m.id() + ">" + sp + "#00000000-0000-0000-0000-000000000000");
      }
    }
    return edges;
  }

  /** A change event with the collection and object its topic and key name. */
  private record Event(String collection, String objectId, Change change) {}

  private static List<String> created(List<Event> changes, String collection) {
    return changes.stream()
        .filter(
            e ->
                io.dirpipe.schemas.Envelope.op(e.change()) == Operation.CREATE
                    && e.collection().equals(collection))
        .map(Event::objectId)
        .toList();
  }

  private static List<String> described(List<Event> changes) {
    return changes.stream()
        .map(
            e ->
                io.dirpipe.schemas.Envelope.op(e.change())
                    + " "
                    + e.collection()
                    + " "
                    + e.objectId()
                    + (io.dirpipe.schemas.Envelope.op(e.change()) == Operation.UPDATE
                        ? " " + e.change().getChangedFields()
                        : ""))
        .toList();
  }

  private static Set<String> edges(List<EdgeChange> changes, String kind) {
    Set<String> edges = new HashSet<>();
    for (EdgeChange c : changes) {
      if (c.getEdge().getKind().equals(kind)) {
        edges.add(edge(c));
      }
    }
    return edges;
  }

  private static String edge(EdgeChange c) {
    String q = c.getEdge().getQualifier();
    return c.getEdge().getFromId() + ">" + c.getEdge().getToId() + (q.isEmpty() ? "" : "#" + q);
  }

  private static List<String> describedEdges(List<EdgeChange> changes) {
    return changes.stream()
        .map(c -> c.getOp() + " " + c.getEdge().getKind() + " " + edge(c))
        .toList();
  }

  /** Every change event of the object collections, in the order of their topics. */
  private static List<Event> changes(TestKafka broker, Topics topics) {
    List<Event> all = new ArrayList<>();
    for (String c : OBJECTS.split(",")) {
      TopicReader.readAll(
          KafkaClients.of(Map.of("bootstrap.servers", broker.bootstrapServers())),
          topics.changes(Collection.of(c)),
          r -> all.add(new Event(c, r.key().getObjectId(), r.value())));
    }
    return all;
  }

  private static List<EdgeChange> edgeChanges(TestKafka broker, Topics topics) {
    List<EdgeChange> all = new ArrayList<>();
    TopicReader.readAll(
        KafkaClients.of(Map.of("bootstrap.servers", broker.bootstrapServers())),
        topics.edgeChanges(),
        r -> all.add(r.value()));
    return all;
  }
}
