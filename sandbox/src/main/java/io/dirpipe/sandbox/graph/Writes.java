package io.dirpipe.sandbox.graph;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dirpipe.sandbox.http.Exchange;
import io.dirpipe.sandbox.tenant.GraphPermissions;
import io.dirpipe.sandbox.tenant.Kind;
import io.dirpipe.sandbox.tenant.Tenant;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes: users and groups (create, update, delete), group member references, app-role assignments.
 */
final class Writes {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final Tenant tenant;

  Writes(Tenant tenant) {
    this.tenant = tenant;
  }

  Reply create(Call call, Kind kind) throws IOException {
    call.require(GraphPermissions.toWrite(kind));
    call.payWrite();
    Map<String, Object> body = body(call);
    for (String required :
        kind == Kind.USER
            ? List.of("displayName", "userPrincipalName", "mailNickname", "accountEnabled")
            : List.of("displayName", "mailNickname", "mailEnabled", "securityEnabled")) {
      if (body.get(required) == null) {
        throw GraphError.badRequest(
            "Property '" + required + "' is required when creating the object.");
      }
    }
    body.remove("passwordProfile"); // accepted, never stored or returned
    Map<String, Object> object = new LinkedHashMap<>();
    tenant.properties(kind).forEach(p -> object.put(p, null));
    body.forEach(
        (k, v) -> {
          if (!tenant.properties(kind).contains(k)) {
            throw GraphError.badRequest(
                "Property '" + k + "' does not exist on type '" + kind.odataType() + "'.");
          }
          object.put(k, v);
        });
    object.put("createdDateTime", tenant.clock().instant().toString());
    String id = tenant.store(kind).create(object);
    byte[] json = Exchange.JSON.writeValueAsBytes(tenant.store(kind).get(id));
    return Reply.json(201, json);
  }

  Reply update(Call call, Kind kind, String id) throws IOException {
    call.require(GraphPermissions.toWrite(kind));
    call.payWrite();
    Map<String, Object> patch = body(call);
    for (String k : patch.keySet()) {
      if (!tenant.properties(kind).contains(k) || k.equals("id")) {
        throw GraphError.badRequest(
            "Property '"
                + k
                + "' does not exist on type '"
                + kind.odataType()
                + "' or cannot be updated.");
      }
    }
    if (tenant.store(kind).update(id, patch) == null) {
      throw GraphError.notFound(id);
    }
    return Reply.empty(204);
  }

  Reply delete(Call call, Kind kind, String id) {
    call.require(GraphPermissions.toWrite(kind));
    call.payWrite();
    // Users, groups and applications go to deleted items (restorable): delta reports reason
    // "changed".
    if (tenant.delete(kind, id) == null) {
      throw GraphError.notFound(id);
    }
    return Reply.empty(204);
  }

  Reply addMember(Call call, int group) throws IOException {
    call.require(GraphPermissions.toWriteMembers());
    call.payWrite();
    Object ref = body(call).get("@odata.id");
    if (!(ref instanceof String url) || !url.contains("/")) {
      throw GraphError.badRequest(
          "The request body must hold '@odata.id' with the URL of a directory object.");
    }
    String memberId = url.substring(url.lastIndexOf('/') + 1);
    Kind kind = tenant.ids().kindOf(memberId);
    if (kind == null || tenant.store(kind).get(memberId) == null) {
      throw GraphError.notFound(memberId);
    }
    if (!tenant.memberships().add(group, memberId, kind == Kind.GROUP ? "group" : "user")) {
      throw GraphError.badRequest(
          "One or more added object references already exist for the following modified properties: 'members'.");
    }
    return Reply.empty(204);
  }

  Reply removeMember(Call call, int group, String memberId) {
    call.require(GraphPermissions.toWriteMembers());
    call.payWrite();
    if (!tenant.memberships().remove(group, memberId)) {
      throw GraphError.notFound(memberId);
    }
    return Reply.empty(204);
  }

  Reply listAssignments(Call call, String principalId) throws IOException {
    call.require(GraphPermissions.toRead(Kind.SERVICE_PRINCIPAL));
    call.payRead(2);
    requirePrincipal(principalId);
    PageWriter page =
        new PageWriter(
            call.base() + "/$metadata#servicePrincipals('" + principalId + "')/appRoleAssignments",
            null);
    for (Tenant.Assignment a : tenant.assignmentsOf(principalId)) {
      page.object(null, assignment(a), null, null);
    }
    return Reply.json(200, page.finish(null, null));
  }

  Reply assign(Call call, String principalId) throws IOException {
    call.require(GraphPermissions.toAssignAppRoles());
    call.payWrite();
    requirePrincipal(principalId);
    Map<String, Object> body = body(call);
    if (!principalId.equals(body.get("principalId"))) {
      throw GraphError.badRequest(
          "principalId in the body must be the service principal of the URL.");
    }
    if (!tenant.graphServicePrincipalId().equals(body.get("resourceId"))) {
      throw GraphError.badRequest(
          "resourceId must be the id of the resource service principal (Microsoft Graph: "
              + tenant.graphServicePrincipalId()
              + ").");
    }
    Object role = body.get("appRoleId");
    if (!(role instanceof String roleId) || !GraphPermissions.APP_ROLES.containsValue(roleId)) {
      throw GraphError.badRequest(
          "Permission being assigned was not found on application '"
              + GraphPermissions.GRAPH_APP_ID
              + "'.");
    }
    if (tenant.assignmentsOf(principalId).stream().anyMatch(a -> a.appRoleId().equals(roleId))) {
      throw GraphError.badRequest("Permission being assigned already exists on the object.");
    }
    return Reply.json(
        201, Exchange.JSON.writeValueAsBytes(assignment(tenant.assign(principalId, roleId))));
  }

  private void requirePrincipal(String id) {
    if (tenant.store(Kind.SERVICE_PRINCIPAL).get(id) == null) {
      throw GraphError.notFound(id);
    }
  }

  /** An app role assignment on Microsoft Graph as Graph shows it. */
  static Map<String, Object> assignment(Tenant.Assignment a) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", a.id());
    o.put("appRoleId", a.appRoleId());
    o.put("createdDateTime", a.created());
    o.put("principalId", a.principalId());
    o.put("principalType", "ServicePrincipal");
    o.put("resourceDisplayName", "Microsoft Graph");
    o.put("resourceId", a.resourceId());
    return o;
  }

  private static Map<String, Object> body(Call call) throws IOException {
    try {
      Map<String, Object> body = Exchange.JSON.readValue(call.ex.body(), MAP);
      return body == null ? new LinkedHashMap<>() : new LinkedHashMap<>(body);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw GraphError.badRequest("Invalid JSON in the request body: " + e.getOriginalMessage());
    }
  }
}
