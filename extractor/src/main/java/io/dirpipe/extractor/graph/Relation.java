package io.dirpipe.extractor.graph;

import io.dirpipe.schemas.Collection;
import java.util.Optional;

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
          default -> null;
        };
    return Optional.ofNullable(r);
  }

  /** The first page of the parent objects' ids. */
  public String parentsUrl(String base, int top) {
    return base + "/" + parent + "?" + top(top) + "$select=id";
  }

  /** The first page of one parent's related objects. */
  public String listUrl(String base, String parentId, int top) {
    return base + "/" + parent + "/" + parentId + "/" + segment + "?" + top(top) + "$select=id";
  }

  private String top(int top) {
    return parent.equals("directoryRoles") ? "" : "$top=" + top + "&";
  }

  /** What a log line or an error calls one listing: "members of group", "owners of application". */
  public String describe(String parentId) {
    String kind = parent.endsWith("s") ? parent.substring(0, parent.length() - 1) : parent;
    return segment + " of " + kind + " " + parentId;
  }
}
