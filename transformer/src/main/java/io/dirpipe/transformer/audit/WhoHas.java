package io.dirpipe.transformer.audit;

import io.dirpipe.core.kafka.KafkaClients;
import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.ObjectKey;
import io.dirpipe.schemas.Topics;
import io.dirpipe.schemas.entity.RoleAssignment;
import io.dirpipe.schemas.entity.RoleDefinition;
import io.dirpipe.schemas.entity.RoleEligibilitySchedule;
import io.dirpipe.schemas.entity.RoleExpiration;
import io.dirpipe.schemas.entity.RoleScheduleInfo;
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
 * id. When PIM eligibilities are extracted ({@code changes.roleEligibilitySchedules} exists), the
 * principals eligible for the role at T are listed too, marked eligible.
 */
public final class WhoHas {
  /**
   * One holder of the role: the principal, the group it holds the role through (null when assigned
   * directly), the assignment, its scope and whether it is active or eligible.
   */
  public record Holder(
      String principalId, String viaGroupId, String assignmentId, String scope, String kind) {}

  /**
   * The answer: the role as resolved at T, its holders ordered by principal, and whether PIM
   * eligibilities were there to be read (false: eligible holders are unknown, not absent).
   */
  public record Answer(
      String roleDefinitionId,
      String roleName,
      Instant at,
      List<Holder> holders,
      boolean eligibilityKnown) {}

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
    Map<String, Set<String>> members = Replay.membersAt(kafka, topics, tenantId, at);
    List<Holder> holders = new ArrayList<>();
    for (Map.Entry<ObjectKey, RoleAssignment> e :
        Replay.at(kafka, topics, Collection.ROLE_ASSIGNMENTS, at).entrySet()) {
      RoleAssignment a = e.getValue();
      if (e.getKey().getTenantId().equals(tenantId)
          && definition.getId().equals(a.getRoleDefinitionId())) {
        hold(holders, members, a.getPrincipalId(), a.getId(), a.getDirectoryScopeId(), "active");
      }
    }
    boolean eligibilityKnown =
        exists(kafka, topics.changes(Collection.ROLE_ELIGIBILITY_SCHEDULES).name());
    if (eligibilityKnown) {
      for (Map.Entry<ObjectKey, RoleEligibilitySchedule> e :
          Replay.at(kafka, topics, Collection.ROLE_ELIGIBILITY_SCHEDULES, at).entrySet()) {
        RoleEligibilitySchedule s = e.getValue();
        if (e.getKey().getTenantId().equals(tenantId)
            && definition.getId().equals(s.getRoleDefinitionId())
            && inForce(s, at)) {
          hold(
              holders, members, s.getPrincipalId(), s.getId(), s.getDirectoryScopeId(), "eligible");
        }
      }
    }
    holders.sort(
        Comparator.comparing(Holder::principalId)
            .thenComparing(h -> h.viaGroupId() == null ? "" : h.viaGroupId()));
    return new Answer(
        definition.getId(), definition.getDisplayName(), at, holders, eligibilityKnown);
  }

  /**
   * Adds a principal holding the role, and, when it is a group (it has members at T), everyone in
   * it and in the groups inside it, through it.
   */
  private static void hold(
      List<Holder> holders,
      Map<String, Set<String>> members,
      String principal,
      String id,
      String scope,
      String kind) {
    holders.add(new Holder(principal, null, id, scope, kind));
    Deque<String> groups = new ArrayDeque<>(List.of(principal));
    Set<String> seen = new HashSet<>(groups);
    while (!groups.isEmpty()) {
      String group = groups.pop();
      for (String member : members.getOrDefault(group, Set.of())) {
        holders.add(new Holder(member, group, id, scope, kind));
        if (members.containsKey(member) && seen.add(member)) {
          groups.push(member);
        }
      }
    }
  }

  /** Whether an eligibility's schedule covers {@code at}. */
  static boolean inForce(RoleEligibilitySchedule s, Instant at) {
    RoleScheduleInfo info = s.getScheduleInfo();
    if (info == null) {
      return true;
    }
    if (info.getStartDateTime() != null && info.getStartDateTime().isAfter(at)) {
      return false;
    }
    RoleExpiration end = info.getExpiration();
    return end == null || end.getEndDateTime() == null || end.getEndDateTime().isAfter(at);
  }

  private static boolean exists(KafkaClients kafka, String topic) {
    try (var admin = kafka.admin("who-has")) {
      return admin.listTopics().names().get().contains(topic);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted listing topics", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("Listing the topics: " + e.getCause().getMessage(), e);
    }
  }
}
