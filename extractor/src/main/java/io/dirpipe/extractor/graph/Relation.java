package io.dirpipe.extractor.graph;

import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.entity.AppRoleAssignment;
import io.dirpipe.schemas.entity.Edge;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * An edge collection as Graph serves it: a relationship of each object of a parent collection,
 * listed as {@code GET /<parent>/{id}/<segment>?$select=id} (the related objects come as
 * directoryObjects with their {@code @odata.type}). Verified in Graph's v1.0 reference (see
 * extractor/README.md, "Edges"): {@code /groups/{id}/members} and {@code /owners}, {@code
 * /applications/{id}/owners}, {@code /servicePrincipals/{id}/owners}, {@code
 * /directoryRoles/{id}/members}. None of these relationships has a delta query of its own (groups'
 * {@code members@delta} aside): an edge collection is always read FULL. Directory roles page
 * without {@code $top}: {@code /directoryRoles/{id}/members} "returns a default of 1,000 objects
 * and doesn't support pagination using $top" (v1.0 reference), and a tenant has at most a few
 * hundred activated roles.
 *
 * @param cost RU of one listing with {@code $select} (FACTS.md §7: {@code groups/{id}/members} 3,
 *     other relationships 1; {@code $select} -1; at least 1)
 */
public record Relation(Collection<?> collection, String parent, String segment, int cost) {

  /** The relation an edge collection (or group memberships) is read from, or empty. */
  public static Optional<Relation> of(Collection<?> c) {
    Relation r =
        switch (c.name()) {
          case "groupMembers" -> new Relation(c, "groups", "members", 2);
          case "groupOwners" -> new Relation(c, "groups", "owners", 1);
          case "applicationOwners" -> new Relation(c, "applications", "owners", 1);
          case "servicePrincipalOwners" -> new Relation(c, "servicePrincipals", "owners", 1);
          case "directoryRoleMembers" -> new Relation(c, "directoryRoles", "members", 1);
          case "administrativeUnitMembers" ->
              new Relation(c, "directory/administrativeUnits", "members", 1);
          case "appRoleAssignments" -> new Relation(c, "servicePrincipals", "appRoleAssignedTo", 1);
          default -> null;
        };
    return Optional.ofNullable(r);
  }

  /** An app role assignment's role and principal come with it: it is more than an id. */
  private boolean assignments() {
    return segment.equals("appRoleAssignedTo");
  }

  /** The record a listing's items are read into, or null when only ids and types are read. */
  public Schema itemSchema() {
    return assignments() ? AppRoleAssignment.getClassSchema() : null;
  }

  /** The first page of the parent objects' ids. */
  public String parentsUrl(String base, int top) {
    return base + "/" + parent + "?" + top(top, true) + "$select=id";
  }

  /** The first page of one parent's related objects. */
  public String listUrl(String base, String parentId, int top) {
    String select = assignments() ? "id,appRoleId,principalId,principalType,resourceId" : "id";
    return base
        + "/"
        + parent
        + "/"
        + parentId
        + "/"
        + segment
        + "?"
        + top(top, false)
        + "$select="
        + select;
  }

  /**
   * Directory roles' members page at 1,000 and take no {@code $top}; administrative units are
   * listed without {@code $top} (not documented for the list), their members with it.
   */
  private String top(int top, boolean parents) {
    boolean none =
        parent.equals("directoryRoles")
            || (parents && parent.equals("directory/administrativeUnits"));
    return none ? "" : "$top=" + top + "&";
  }

  /**
   * The edge one listed item stands for, or null when it has no id: the parent to the related
   * object; an app role assignment from its principal to the parent (the resource), qualified by
   * the app role.
   */
  public Edge edge(String parentId, Page.Item item) {
    if (item.entity() instanceof AppRoleAssignment a) {
      if (a.getPrincipalId() == null) {
        return null;
      }
      String role = a.getAppRoleId() == null ? "" : a.getAppRoleId();
      return new Edge(
          collection.name(),
          a.getPrincipalId(),
          parentId,
          "servicePrincipal",
          Map.of(
              "appRoleId",
              role,
              "principalType",
              a.getPrincipalType() == null ? "" : a.getPrincipalType(),
              "assignmentId",
              a.getId()),
          role);
    }
    if (item.id() == null) {
      return null;
    }
    String type = item.odataType() == null ? "directoryObject" : item.odataType();
    return new Edge(collection.name(), parentId, item.id(), type, Map.of(), "");
  }

  /** What a log line or an error calls one listing: "members of group", "owners of application". */
  public String describe(String parentId) {
    String name = parent.substring(parent.lastIndexOf('/') + 1);
    String kind = name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
    return segment + " of " + kind + " " + parentId;
  }
}
