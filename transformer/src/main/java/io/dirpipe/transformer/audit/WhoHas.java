package io.dirpipe.transformer.audit;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.RoleAssignment;
import io.dirpipe.schemas.entity.RoleDefinition;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who held a directory role at a time T: the role's active assignments at T (replayed from {@code
 * changes.roleAssignments}), each principal that is a group expanded to its members at T (from
 * {@code changes.memberships}, nested groups followed), each holder with the path that gives it the
 * role. The role is named by its display name at T (from {@code changes.roleDefinitions}) or by its
 * id. PIM eligibility is not extracted yet: every assignment here is active.
 */
public final class WhoHas {
  /**
   * One holder of the role: the principal, the group it holds the role through (null when assigned
   * directly), the assignment, its scope and whether it is active or eligible.
   */
  public record Holder(
      String principalId, String viaGroupId, String assignmentId, String scope, String kind) {}

  /** The answer: the role as resolved at T, and its holders ordered by principal. */
  public record Answer(
      String roleDefinitionId, String roleName, Instant at, List<Holder> holders) {}

  private WhoHas() {}

  /**
   * @throws IllegalArgumentException when no role definition of that name or id existed at T
   */
  public static Answer at(
      KafkaClients kafka, Topics topics, String tenantId, String role, Instant at) {
    RoleDefinition definition = null;
    for (var e : Replay.at(kafka, topics, Collection.ROLE_DEFINITIONS, at).entrySet()) {
      RoleDefinition d = e.getValue();
      if (e.getKey().getTenantId().equals(tenantId)
          && (d.getId().equals(role)
              || (d.getDisplayName() != null
                  && d.getDisplayName()
                      .toLowerCase(Locale.ROOT)
                      .equals(role.toLowerCase(Locale.ROOT))))) {
        definition = d;
      }
    }
    if (definition == null) {
      throw new IllegalArgumentException(
          "No role definition named or with id '"
              + role
              + "' at "
              + at
              + " in tenant "
              + tenantId
              + ": extract and transform roleDefinitions (and roleAssignments) first, and check the"
              + " name (dirpipe replay --collection roleDefinitions --at T lists them)");
    }
    Map<String, Set<String>> members = null;
    List<Holder> holders = new ArrayList<>();
    for (Map.Entry<ObjectKey, RoleAssignment> e :
        Replay.at(kafka, topics, Collection.ROLE_ASSIGNMENTS, at).entrySet()) {
      RoleAssignment a = e.getValue();
      if (!e.getKey().getTenantId().equals(tenantId)
          || !definition.getId().equals(a.getRoleDefinitionId())) {
        continue;
      }
      holders.add(
          new Holder(a.getPrincipalId(), null, a.getId(), a.getDirectoryScopeId(), "active"));
      if (members == null) {
        members = Replay.membersAt(kafka, topics, tenantId, at);
      }
      // a principal with members is a group: everyone in it (and in groups inside it) holds the
      // role
      Deque<String> groups = new ArrayDeque<>(List.of(a.getPrincipalId()));
      Set<String> seen = new HashSet<>(groups);
      while (!groups.isEmpty()) {
        String group = groups.pop();
        for (String member : members.getOrDefault(group, Set.of())) {
          holders.add(new Holder(member, group, a.getId(), a.getDirectoryScopeId(), "active"));
          if (members.containsKey(member) && seen.add(member)) {
            groups.push(member);
          }
        }
      }
    }
    holders.sort(
        Comparator.comparing(Holder::principalId)
            .thenComparing(h -> h.viaGroupId() == null ? "" : h.viaGroupId()));
    return new Answer(definition.getId(), definition.getDisplayName(), at, holders);
  }
}
