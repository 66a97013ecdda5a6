package io.dirpipe.sandbox.tenant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Microsoft Graph's application permissions (app roles of the Graph service principal, app id
 * {@value #GRAPH_APP_ID}) that the sandbox knows, with their real ids, and which ones authorise
 * which call.
 */
public final class GraphPermissions {
  public static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

  /** Permission value to app role id. */
  public static final Map<String, String> APP_ROLES = new LinkedHashMap<>();

  static {
    APP_ROLES.put("User.Read.All", "df021288-bdef-4463-88db-98f22de89214");
    APP_ROLES.put("User.ReadWrite.All", "741f803b-c850-494e-b5df-cde7c675a1ca");
    APP_ROLES.put("Group.Read.All", "5b567255-7703-4780-807c-7be8301ae99b");
    APP_ROLES.put("Group.ReadWrite.All", "62a82d76-70ea-41e2-9197-370581804d09");
    APP_ROLES.put("GroupMember.Read.All", "98830695-27a2-44f7-8c18-0c3ebc9698f6");
    APP_ROLES.put("GroupMember.ReadWrite.All", "dbaae8cf-10b5-4b86-a4a1-f871c94c6695");
    APP_ROLES.put("Device.Read.All", "7438b122-aefc-4978-80ed-43db9fcc7715");
    APP_ROLES.put("Application.Read.All", "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30");
    APP_ROLES.put("Application.ReadWrite.All", "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9");
    APP_ROLES.put("AppRoleAssignment.ReadWrite.All", "06b708a9-e830-4db3-a914-8e69da51d44f");
    APP_ROLES.put("RoleManagement.Read.Directory", "483bed4a-2ad3-4361-a73b-c83ccdbdc53c");
    APP_ROLES.put("Directory.Read.All", "7ab1d382-f21e-4acd-a863-ba3e13f7da61");
    APP_ROLES.put("Directory.ReadWrite.All", "19dbc75e-c2e2-444c-a770-ec69d8559fc7");
    APP_ROLES.put("AuditLog.Read.All", "b0afded3-3588-46d8-8b3d-9842eff778da");
    APP_ROLES.put("Policy.Read.All", "246dd0d5-5bd0-4def-940b-0421030a5b68");
    APP_ROLES.put("RoleManagement.Read.All", "c7fbd983-d9aa-4fa7-84b8-17382c103bc4");
    APP_ROLES.put("RoleEligibilitySchedule.Read.Directory", "ff278e11-4a33-4d0c-83d2-d01dc58929a5");
    APP_ROLES.put("RoleAssignmentSchedule.Read.Directory", "d5fe8ce8-684c-4c83-a52c-46e882ce4be1");
    APP_ROLES.put("AdministrativeUnit.Read.All", "134fd756-38ce-4afd-ba33-e9623dbe66c2");
  }

  private static final List<String> DIRECTORY_READ =
      List.of("Directory.Read.All", "Directory.ReadWrite.All");
  private static final List<String> DIRECTORY_WRITE = List.of("Directory.ReadWrite.All");

  private GraphPermissions() {}

  /** Permissions any one of which allows reading a kind (FACTS.md; least privileged first). */
  public static List<String> toRead(Kind kind) {
    return with(
        switch (kind) {
          case USER -> List.of("User.Read.All", "User.ReadWrite.All");
          case GROUP -> List.of("Group.Read.All", "Group.ReadWrite.All", "GroupMember.Read.All");
          case DEVICE -> List.of("Device.Read.All");
          case APPLICATION, SERVICE_PRINCIPAL ->
              List.of("Application.Read.All", "Application.ReadWrite.All");
          case DIRECTORY_ROLE -> List.of("RoleManagement.Read.Directory");
          case ADMINISTRATIVE_UNIT -> List.of("AdministrativeUnit.Read.All");
          // delegated grants: Directory.Read.All is the least privileged (v1.0 reference)
          case OAUTH2_PERMISSION_GRANT -> List.of();
        },
        DIRECTORY_READ);
  }

  /** Permissions allowing to list group members. */
  public static List<String> toReadMembers() {
    return with(
        List.of(
            "GroupMember.Read.All",
            "Group.Read.All",
            "GroupMember.ReadWrite.All",
            "Group.ReadWrite.All"),
        DIRECTORY_READ);
  }

  public static List<String> toWrite(Kind kind) {
    return with(
        switch (kind) {
          case USER -> List.of("User.ReadWrite.All");
          case GROUP -> List.of("Group.ReadWrite.All");
          default -> List.of("Application.ReadWrite.All");
        },
        DIRECTORY_WRITE);
  }

  public static List<String> toWriteMembers() {
    return with(List.of("GroupMember.ReadWrite.All", "Group.ReadWrite.All"), DIRECTORY_WRITE);
  }

  public static List<String> toAssignAppRoles() {
    return List.of("AppRoleAssignment.ReadWrite.All");
  }

  public static boolean allows(Set<String> held, List<String> needed) {
    return needed.stream().anyMatch(held::contains);
  }

  private static List<String> with(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }
}
