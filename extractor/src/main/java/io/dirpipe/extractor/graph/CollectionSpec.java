package io.dirpipe.extractor.graph;

import io.dirpipe.schemas.Collection;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;

/** How a collection is read from Graph: its URLs, $select and resource-unit cost. */
public record CollectionSpec(
    Collection<?> collection, String segment, List<String> select, int baseCost) {

  /**
   * Fields of an entity record left out of the default {@code $select}: named in {@code
   * extract.select-add.<collection>} when wanted ({@code extensions} is where extension_*
   * properties land, not a Graph property).
   */
  static final java.util.Set<String> NOT_SELECTED_BY_DEFAULT =
      java.util.Set.of("onPremisesExtensionAttributes", "extensions");

  /** The spec of a collection, with the configured $select or the fields of its Avro record. */
  public static CollectionSpec of(Collection<?> c, List<String> configuredSelect) {
    return of(c, configuredSelect, List.of());
  }

  /**
   * The spec of a collection: the configured $select, or the fields of its Avro record and {@code
   * added} (extract.select-add: onPremisesExtensionAttributes,
   * extension_&lt;appId&gt;_&lt;name&gt;).
   */
  public static CollectionSpec of(
      Collection<?> c, List<String> configuredSelect, List<String> added) {
    List<String> select =
        configuredSelect != null
            ? configuredSelect
            : c == Collection.GROUP_MEMBERS || c == Collection.USER_MANAGERS
                ? List.of("id")
                : c == Collection.DELEGATED_PERMISSIONS
                    ? List.of("id", "clientId", "consentType", "principalId", "resourceId", "scope")
                    : java.util.stream.Stream.concat(
                            c.entitySchema().getFields().stream()
                                .map(Schema.Field::name)
                                .filter(f -> !NOT_SELECTED_BY_DEFAULT.contains(f)),
                            added.stream())
                        .toList();
    int cost =
        c == Collection.USERS || c == Collection.APPLICATIONS
            ? 2
            : c == Collection.GROUP_MEMBERS ? 3 : 1;
    String segment =
        switch (c.name()) {
          case "groupMembers" -> "groups";
          case "userManagers" -> "users";
          case "delegatedPermissions" -> "oauth2PermissionGrants";
          case "conditionalAccessPolicies" -> "identity/conditionalAccess/policies";
          case "administrativeUnits" -> "directory/administrativeUnits";
          case "userRegistrationDetails" -> "reports/authenticationMethods/userRegistrationDetails";
          default -> isRoleManagement(c) ? "roleManagement/directory/" + c.name() : c.name();
        };
    return new CollectionSpec(c, segment, select, cost);
  }

  /** The unified RBAC collections, under {@code /roleManagement/directory/}. */
  private static boolean isRoleManagement(Collection<?> c) {
    return c == Collection.ROLE_DEFINITIONS
        || c == Collection.ROLE_ASSIGNMENTS
        || c == Collection.ROLE_ELIGIBILITY_SCHEDULES
        || c == Collection.ROLE_ASSIGNMENT_SCHEDULES;
  }

  /**
   * Collections with a delta query in Graph v1.0 (the reference's {@code <type>: delta} pages):
   * users, groups, devices, applications, service principals, administrative units and delegated
   * permission grants. Directory roles have one in Graph but not in the sandbox, and are small:
   * their delta runs page them fully, as the others' do.
   */
  public boolean supportsDelta() {
    return collection == Collection.USERS
        || collection == Collection.GROUPS
        || collection == Collection.DEVICES
        || collection == Collection.APPLICATIONS
        || collection == Collection.SERVICE_PRINCIPALS
        || collection == Collection.ADMINISTRATIVE_UNITS
        || collection == Collection.OAUTH2_PERMISSION_GRANTS;
  }

  /**
   * The first page of a FULL run. Where the v1.0 reference documents no {@code $top} (the role
   * management collections: "$select, $filter, and $expand"; administrative units: "$count,
   * $select, $search, $filter (eq), and $expand"; delegated grants) a collection pages at Graph's
   * size; directory role templates take no query parameter at all, registration details only {@code
   * $filter} and {@code $orderBy}.
   */
  public String fullUrl(String base, int top) {
    if (collection == Collection.DIRECTORY_ROLE_TEMPLATES
        || collection == Collection.USER_REGISTRATION_DETAILS) {
      return base + "/" + segment;
    }
    boolean paged =
        !isRoleManagement(collection)
            && collection != Collection.ADMINISTRATIVE_UNITS
            && collection != Collection.OAUTH2_PERMISSION_GRANTS
            && collection != Collection.DELEGATED_PERMISSIONS;
    String url =
        base + "/" + segment + "?" + (paged ? "$top=" + top + "&" : "") + "$select=" + join(select);
    // each user with its manager's id: one listing of the users instead of a request per user
    return collection == Collection.USER_MANAGERS ? url + "&$expand=manager($select=id)" : url;
  }

  /**
   * The record a page's items are read into: the entity's, but a user with its manager for {@code
   * userManagers} (published as edges).
   */
  public org.apache.avro.Schema itemSchema() {
    return collection == Collection.USER_MANAGERS
        ? io.dirpipe.schemas.entity.UserManager.getClassSchema()
        : collection == Collection.DELEGATED_PERMISSIONS
            ? io.dirpipe.schemas.entity.OAuth2PermissionGrant.getClassSchema()
            : collection.entitySchema();
  }

  /**
   * The property a FULL run can be split on into disjoint ranges read concurrently, or null. Only
   * users' {@code createdDateTime} is documented with {@code ge} and {@code le} in Graph v1.0
   * ("Supports $filter (eq, ne, not, ge, le, in)"; groups and devices document no range filter on
   * it), and it is immutable, so an object is in exactly one range for the whole run.
   */
  public String rangeProperty() {
    return collection == Collection.USERS ? "createdDateTime" : null;
  }

  /** The first page of one range of a FULL run: {@link #fullUrl} with {@code $filter}. */
  public String rangeUrl(String base, int top, String filter) {
    return fullUrl(base, top) + "&$filter=" + encode(filter);
  }

  /**
   * A one-object page whose {@code @odata.count} is the number of objects matching {@code filter}
   * (all of them when null); needs {@code ConsistencyLevel: eventual}.
   */
  public String countUrl(String base, String filter) {
    return base
        + "/"
        + segment
        + "?$top=1&$select=id&$count=true"
        + (filter == null ? "" : "&$filter=" + encode(filter));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The initial delta request; groups track membership too when {@code members} is true. */
  public String deltaUrl(String base, boolean members) {
    // administrative units are listed under /directory, but their delta is /administrativeUnits
    return base
        + "/"
        + (collection == Collection.ADMINISTRATIVE_UNITS ? collection.name() : segment)
        + "/delta?$select="
        + join(select)
        + (members ? "," + "members" : "");
  }

  /** Predicted cost: base, minus 1 with $select, at least 1 (FACTS.md §7). */
  public int predictedCost() {
    return Math.max(1, baseCost - 1);
  }

  private static String join(List<String> fields) {
    return URLEncoder.encode(String.join(",", fields), StandardCharsets.UTF_8).replace("%2C", ",");
  }
}
