package io.dirpipe.schemas;

import io.dirpipe.schemas.entity.AdministrativeUnit;
import io.dirpipe.schemas.entity.Application;
import io.dirpipe.schemas.entity.ConditionalAccessPolicy;
import io.dirpipe.schemas.entity.Device;
import io.dirpipe.schemas.entity.DirectoryAudit;
import io.dirpipe.schemas.entity.DirectoryRole;
import io.dirpipe.schemas.entity.DirectoryRoleTemplate;
import io.dirpipe.schemas.entity.Edge;
import io.dirpipe.schemas.entity.Group;
import io.dirpipe.schemas.entity.Member;
import io.dirpipe.schemas.entity.OAuth2PermissionGrant;
import io.dirpipe.schemas.entity.RoleAssignment;
import io.dirpipe.schemas.entity.RoleAssignmentSchedule;
import io.dirpipe.schemas.entity.RoleDefinition;
import io.dirpipe.schemas.entity.RoleEligibilitySchedule;
import io.dirpipe.schemas.entity.ServicePrincipal;
import io.dirpipe.schemas.entity.SignIn;
import io.dirpipe.schemas.entity.User;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A directory collection dirpipe extracts, typed by the Avro record of its objects. The name is
 * Graph's own (the URL segment) and appears in topic names, configuration and the {@code
 * collection} field of records.
 *
 * @param <E> the entity record of this collection's objects
 */
public final class Collection<E extends SpecificRecord> {
  public static final Collection<User> USERS = new Collection<>("users", User.class);
  public static final Collection<Group> GROUPS = new Collection<>("groups", Group.class);

  /** Group memberships: one {@link Member} record per edge, keyed by the group's id. */
  public static final Collection<Member> GROUP_MEMBERS =
      new Collection<>("groupMembers", Member.class);

  public static final Collection<Device> DEVICES = new Collection<>("devices", Device.class);
  public static final Collection<Application> APPLICATIONS =
      new Collection<>("applications", Application.class);
  public static final Collection<ServicePrincipal> SERVICE_PRINCIPALS =
      new Collection<>("servicePrincipals", ServicePrincipal.class);
  public static final Collection<DirectoryRole> DIRECTORY_ROLES =
      new Collection<>("directoryRoles", DirectoryRole.class);

  /** Owners of groups: one {@link Edge} per owner, keyed by the group's id. */
  public static final Collection<Edge> GROUP_OWNERS = new Collection<>("groupOwners", Edge.class);

  public static final Collection<Edge> APPLICATION_OWNERS =
      new Collection<>("applicationOwners", Edge.class);
  public static final Collection<Edge> SERVICE_PRINCIPAL_OWNERS =
      new Collection<>("servicePrincipalOwners", Edge.class);

  /** Members of the activated directory roles (direct assignments, users and groups). */
  public static final Collection<Edge> DIRECTORY_ROLE_MEMBERS =
      new Collection<>("directoryRoleMembers", Edge.class);

  /** Directory role definitions, built-in and custom, with their permissions. */
  public static final Collection<RoleDefinition> ROLE_DEFINITIONS =
      new Collection<>("roleDefinitions", RoleDefinition.class);

  /** Active directory role assignments: principal, role definition, scope. */
  public static final Collection<RoleAssignment> ROLE_ASSIGNMENTS =
      new Collection<>("roleAssignments", RoleAssignment.class);

  /** PIM eligibilities: who may activate which role, over which scope, when. */
  public static final Collection<RoleEligibilitySchedule> ROLE_ELIGIBILITY_SCHEDULES =
      new Collection<>("roleEligibilitySchedules", RoleEligibilitySchedule.class);

  /** PIM active assignment schedules: assigned or activated, permanent or time-bound. */
  public static final Collection<RoleAssignmentSchedule> ROLE_ASSIGNMENT_SCHEDULES =
      new Collection<>("roleAssignmentSchedules", RoleAssignmentSchedule.class);

  /** Every built-in directory role, activated or not. */
  public static final Collection<DirectoryRoleTemplate> DIRECTORY_ROLE_TEMPLATES =
      new Collection<>("directoryRoleTemplates", DirectoryRoleTemplate.class);

  public static final Collection<AdministrativeUnit> ADMINISTRATIVE_UNITS =
      new Collection<>("administrativeUnits", AdministrativeUnit.class);

  /** Members of administrative units (users, groups, devices): edges keyed by the unit. */
  public static final Collection<Edge> ADMINISTRATIVE_UNIT_MEMBERS =
      new Collection<>("administrativeUnitMembers", Edge.class);

  /**
   * App role assignments (application permissions and app roles granted to users and groups): an
   * edge from the principal to the resource service principal, qualified by the app role.
   */
  public static final Collection<Edge> APP_ROLE_ASSIGNMENTS =
      new Collection<>("appRoleAssignments", Edge.class);

  /** Users' managers: an edge from each user to its manager (users without one have none). */
  public static final Collection<Edge> USER_MANAGERS = new Collection<>("userManagers", Edge.class);

  /**
   * Delegated permissions as edges: one per scope a client may use on a resource, from the client
   * to the resource service principal, qualified by whom it was granted for (a user's id or
   * AllPrincipals) and the scope. Read from the same grants as {@link #OAUTH2_PERMISSION_GRANTS}.
   */
  public static final Collection<Edge> DELEGATED_PERMISSIONS =
      new Collection<>("delegatedPermissions", Edge.class);

  /** Delegated permission grants (consents): client, resource, scopes, for whom. */
  public static final Collection<OAuth2PermissionGrant> OAUTH2_PERMISSION_GRANTS =
      new Collection<>("oauth2PermissionGrants", OAuth2PermissionGrant.class);

  /** Who has registered which authentication methods (MFA, passwordless, SSPR), per user. */
  public static final Collection<io.dirpipe.schemas.entity.UserRegistrationDetails>
      USER_REGISTRATION_DETAILS =
          new Collection<>(
              "userRegistrationDetails", io.dirpipe.schemas.entity.UserRegistrationDetails.class);

  /** The directory's audit log: an event stream into {@code events.directoryAudits}. */
  public static final Collection<DirectoryAudit> DIRECTORY_AUDITS =
      new Collection<>("directoryAudits", DirectoryAudit.class);

  /** Sign-ins (Entra ID P1 or P2): an event stream into {@code events.signIns}. */
  public static final Collection<SignIn> SIGN_INS = new Collection<>("signIns", SignIn.class);

  /** Conditional access policies, with whom and what each includes and excludes. */
  public static final Collection<ConditionalAccessPolicy> CONDITIONAL_ACCESS_POLICIES =
      new Collection<>("conditionalAccessPolicies", ConditionalAccessPolicy.class);

  /**
   * What collection-list settings default to: the directory objects and group memberships, which
   * every stage handles.
   */
  private static final List<Collection<?>> DEFAULTS =
      List.of(
          USERS, GROUPS, GROUP_MEMBERS, DEVICES, APPLICATIONS, SERVICE_PRINCIPALS, DIRECTORY_ROLES);

  /**
   * Collections every stage handles when named in its collection list ({@code extract.collections},
   * {@code transform.collections}, {@code sink.collections}): the security objects and the edges,
   * which not every tenant or permission set has.
   */
  private static final List<Collection<?>> OPT_IN =
      List.of(
          GROUP_OWNERS,
          APPLICATION_OWNERS,
          SERVICE_PRINCIPAL_OWNERS,
          DIRECTORY_ROLE_MEMBERS,
          ROLE_DEFINITIONS,
          ROLE_ASSIGNMENTS,
          ROLE_ELIGIBILITY_SCHEDULES,
          ROLE_ASSIGNMENT_SCHEDULES,
          DIRECTORY_ROLE_TEMPLATES,
          ADMINISTRATIVE_UNITS,
          ADMINISTRATIVE_UNIT_MEMBERS,
          APP_ROLE_ASSIGNMENTS,
          USER_MANAGERS,
          OAUTH2_PERMISSION_GRANTS,
          DELEGATED_PERMISSIONS,
          USER_REGISTRATION_DETAILS,
          CONDITIONAL_ACCESS_POLICIES,
          DIRECTORY_AUDITS,
          SIGN_INS);

  private static final List<Collection<?>> ALL =
      java.util.stream.Stream.concat(DEFAULTS.stream(), OPT_IN.stream()).toList();

  private final String name;
  private final Class<E> entityClass;

  private Collection(String name, Class<E> entityClass) {
    this.name = name;
    this.entityClass = entityClass;
  }

  /** Every collection, in extraction order. */
  public static List<Collection<?>> all() {
    return ALL;
  }

  /** The collection of that name, or empty. */
  public static Optional<Collection<?>> find(String name) {
    return ALL.stream().filter(c -> c.name.equals(name)).findFirst();
  }

  /**
   * The collection of that name.
   *
   * @throws IllegalArgumentException naming the unknown value and the valid ones
   */
  public static Collection<?> of(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Unknown collection '"
                        + name
                        + "'; valid collections: "
                        + ALL.stream().map(Collection::name).collect(Collectors.joining(", "))));
  }

  /** The collections every stage handles: the default of collection-list settings. */
  public static List<Collection<?>> defaults() {
    return DEFAULTS;
  }

  /** The names of {@link #defaults()}, comma-separated. */
  public static String defaultNames() {
    return DEFAULTS.stream().map(Collection::name).collect(Collectors.joining(","));
  }

  /** The names of every collection, comma-separated. */
  public static String allNames() {
    return ALL.stream().map(Collection::name).collect(Collectors.joining(","));
  }

  /** Validates a configuration value that lists collection names, naming an unknown one. */
  public static ConfigDef.Validator listValidator() {
    return (name, value) -> {
      for (Object c : (List<?>) value) {
        if (find(String.valueOf(c)).isEmpty()) {
          throw new ConfigException(
              name, value, "unknown collection '" + c + "'; valid: " + allNames());
        }
      }
    };
  }

  public String name() {
    return name;
  }

  public Class<E> entityClass() {
    return entityClass;
  }

  public Schema entitySchema() {
    return SpecificData.get().getSchema(entityClass);
  }

  /** True for collections of directory objects (which have change and inventory topics). */
  public boolean isObjectCollection() {
    return entityClass != Member.class && entityClass != Edge.class && !isEventStream();
  }

  /**
   * True for the event streams (audit log, sign-ins): immutable events read by time, published once
   * into {@code events.<stream>}; nothing to transform.
   */
  public boolean isEventStream() {
    return entityClass == DirectoryAudit.class || entityClass == SignIn.class;
  }

  /** The collections the transformer takes: all but the event streams. */
  public static List<Collection<?>> transformable() {
    return ALL.stream().filter(c -> !c.isEventStream()).toList();
  }

  /** True for collections of {@link Edge}s: relations read from one object's relationship. */
  public boolean isEdgeCollection() {
    return entityClass == Edge.class;
  }

  @Override
  public String toString() {
    return name;
  }
}
