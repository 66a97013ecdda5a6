package io.dirpipe.schemas;

import io.dirpipe.schemas.entity.AppRole;
import io.dirpipe.schemas.entity.Application;
import io.dirpipe.schemas.entity.AssignedLicense;
import io.dirpipe.schemas.entity.Credential;
import io.dirpipe.schemas.entity.Device;
import io.dirpipe.schemas.entity.DirectoryRole;
import io.dirpipe.schemas.entity.Group;
import io.dirpipe.schemas.entity.Member;
import io.dirpipe.schemas.entity.ServicePrincipal;
import io.dirpipe.schemas.entity.User;
import io.dirpipe.schemas.state.EdgeState;
import io.dirpipe.schemas.state.ObjectState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated record of every message type. */
public final class Samples {
  public static final String TENANT = "8f1e2d3c-0000-4000-8000-000000000001";
  static final Instant T = Instant.parse("2026-11-24T08:00:00.123Z");

  private Samples() {}

  public static User user(String id) {
    return User.newBuilder()
        .setId(id)
        .setDisplayName("Ada Lovelace")
        .setGivenName("Ada")
        .setSurname("Lovelace")
        .setUserPrincipalName("ada@contoso.example")
        .setMail("ada@contoso.example")
        .setMailNickname("ada")
        .setAccountEnabled(true)
        .setUserType("Member")
        .setJobTitle("Analyst")
        .setDepartment("Research")
        .setCreatedDateTime(T)
        .setOnPremisesSyncEnabled(false)
        .setAssignedLicenses(List.of(new AssignedLicense("sku-1", List.of("plan-a"))))
        .setProxyAddresses(List.of("SMTP:ada@contoso.example"))
        .build();
  }

  static Source source() {
    return Envelope.source(TENANT, "users", "run-1", Mode.FULL, T);
  }

  /** One record of each type in {@link io.dirpipe.schemas.serde.SchemaHistory#MESSAGES}. */
  public static List<SpecificRecord> everyMessage() {
    Credential secret = new Credential("k1", "ci secret", T, T.plusSeconds(86400));
    return List.of(
        new ObjectKey(TENANT, "u1"),
        new Observation(
            TENANT,
            "users",
            "u1",
            "run-1",
            Mode.FULL,
            3,
            T,
            ObservationKind.OBSERVED,
            null,
            user("u1"),
            null,
            false),
        new Observation(
            TENANT,
            "users",
            "u2",
            "run-2",
            Mode.DELTA,
            1,
            T,
            ObservationKind.REMOVED,
            RemovedReason.CHANGED,
            null,
            null,
            false),
        Envelope.change(
            Operation.UPDATE,
            user("u1"),
            User.newBuilder(user("u1")).setDepartment("Ops").build(),
            List.of("department"),
            null,
            source(),
            T),
        new MembershipKey(TENANT, "g1", "u1"),
        new MembershipChange(MembershipOperation.ADD, TENANT, "g1", "u1", "user", source(), T),
        new io.dirpipe.schemas.EdgeKey(
            TENANT, "appRoleAssignments", "sp1", "sp2", "df021288-bdef-4463-88db-98f22de89214"),
        new io.dirpipe.schemas.EdgeChange(
            MembershipOperation.ADD,
            new io.dirpipe.schemas.entity.Edge(
                "appRoleAssignments",
                "sp1",
                "sp2",
                "servicePrincipal",
                Map.of("appRoleId", "df021288-bdef-4463-88db-98f22de89214"),
                "df021288-bdef-4463-88db-98f22de89214"),
            TENANT,
            source(),
            T),
        new CheckpointKey(TENANT, "users"),
        new Checkpoint(
            TENANT,
            "users",
            "run-1",
            Mode.FULL,
            "https://graph/next",
            null,
            List.of(),
            4,
            3996L,
            0L,
            "00ff",
            T,
            T,
            T,
            List.of(new EventMark("Directory_1", T)),
            List.of(new EventMark("Directory_2", T))),
        new RunEvent(
            RunEventType.COMPLETED,
            "run-1",
            TENANT,
            "users",
            Mode.FULL,
            T,
            T,
            20000L,
            0L,
            21,
            25L,
            2L,
            42L,
            "abcd",
            null),
        new ExtractionTask(TENANT, List.of("users", "groups"), Mode.DELTA),
        new ObjectState(java.nio.ByteBuffer.wrap(new byte[32]), "run-1", T),
        new EdgeState("run-1", T, "user", Map.of()),
        user("u3"),
        Group.newBuilder()
            .setId("g1")
            .setDisplayName("Finance")
            .setSecurityEnabled(true)
            .setGroupTypes(List.of("Unified"))
            .build(),
        new Member("g1", "u1", "user"),
        new io.dirpipe.schemas.entity.Edge(
            "groupOwners", "g1", "u1", "user", java.util.Map.of(), ""),
        io.dirpipe.schemas.entity.RoleDefinition.newBuilder()
            .setId("62e90394-69f5-4237-9190-012177145e10")
            .setDisplayName("Global Administrator")
            .setIsBuiltIn(true)
            .setRolePermissions(
                List.of(
                    new io.dirpipe.schemas.entity.RolePermission(
                        List.of("microsoft.directory/users/allProperties/allTasks"), null)))
            .build(),
        io.dirpipe.schemas.entity.RoleAssignment.newBuilder()
            .setId("ra1")
            .setPrincipalId("u1")
            .setRoleDefinitionId("62e90394-69f5-4237-9190-012177145e10")
            .setDirectoryScopeId("/")
            .build(),
        io.dirpipe.schemas.entity.ConditionalAccessPolicy.newBuilder()
            .setId("ca1")
            .setDisplayName("Require MFA for administrators")
            .setState("enabled")
            .setConditions(
                new io.dirpipe.schemas.entity.ConditionalAccessConditions(
                    new io.dirpipe.schemas.entity.ConditionalAccessUsers(
                        List.of(), List.of(), List.of(), List.of("g1"), List.of("r1"), List.of()),
                    null,
                    List.of("all")))
            .setGrantControls(
                new io.dirpipe.schemas.entity.ConditionalAccessGrantControls("OR", List.of("mfa")))
            .build(),
        io.dirpipe.schemas.entity.RoleEligibilitySchedule.newBuilder()
            .setId("es1")
            .setPrincipalId("u2")
            .setRoleDefinitionId("62e90394-69f5-4237-9190-012177145e10")
            .setMemberType("Direct")
            .setScheduleInfo(
                new io.dirpipe.schemas.entity.RoleScheduleInfo(
                    T, new io.dirpipe.schemas.entity.RoleExpiration("afterDateTime", T, null)))
            .build(),
        io.dirpipe.schemas.entity.RoleAssignmentSchedule.newBuilder()
            .setId("as1")
            .setPrincipalId("u3")
            .setRoleDefinitionId("62e90394-69f5-4237-9190-012177145e10")
            .setAssignmentType("Activated")
            .setScheduleInfo(
                new io.dirpipe.schemas.entity.RoleScheduleInfo(
                    T, new io.dirpipe.schemas.entity.RoleExpiration("afterDateTime", T, null)))
            .build(),
        io.dirpipe.schemas.entity.DirectoryRoleTemplate.newBuilder()
            .setId("62e90394-69f5-4237-9190-012177145e10")
            .setDisplayName("Global Administrator")
            .build(),
        io.dirpipe.schemas.entity.AdministrativeUnit.newBuilder()
            .setId("au1")
            .setDisplayName("Seattle")
            .setVisibility("HiddenMembership")
            .build(),
        io.dirpipe.schemas.entity.OAuth2PermissionGrant.newBuilder()
            .setId("g1")
            .setClientId("sp1")
            .setConsentType("AllPrincipals")
            .setResourceId("sp2")
            .setScope("User.Read Mail.Read")
            .build(),
        io.dirpipe.schemas.entity.UserRegistrationDetails.newBuilder()
            .setId("u1")
            .setIsMfaRegistered(true)
            .setMethodsRegistered(List.of("microsoftAuthenticatorPush", "fido2"))
            .setLastUpdatedDateTime(T)
            .build(),
        io.dirpipe.schemas.entity.DirectoryAudit.newBuilder()
            .setId("Directory_1")
            .setActivityDateTime(T)
            .setActivityDisplayName("Add member to group")
            .setOutcome("success")
            .setInitiatedBy(
                new io.dirpipe.schemas.entity.AuditActor(
                    new io.dirpipe.schemas.entity.AuditUser("u1", "Ada", "ada@x", "10.0.0.1"),
                    null))
            .setTargetResources(
                List.of(
                    io.dirpipe.schemas.entity.TargetResource.newBuilder()
                        .setId("g1")
                        .setType("Group")
                        .setModifiedProperties(
                            List.of(
                                new io.dirpipe.schemas.entity.ModifiedProperty(
                                    "Group.DisplayName", null, "\"Ops\"")))
                        .build()))
            .build(),
        io.dirpipe.schemas.entity.SignIn.newBuilder()
            .setId("s1")
            .setCreatedDateTime(T)
            .setUserId("u1")
            .setStatus(new io.dirpipe.schemas.entity.SignInStatus(50126, "Invalid password", null))
            .setAppliedConditionalAccessPolicies(
                List.of(
                    new io.dirpipe.schemas.entity.AppliedConditionalAccessPolicy(
                        "ca1", "Require MFA", "success", List.of("Mfa"))))
            .build(),
        Device.newBuilder().setId("d1").setDisplayName("laptop-1").setIsCompliant(true).build(),
        Application.newBuilder()
            .setId("a1")
            .setAppId("app-1")
            .setPasswordCredentials(List.of(secret))
            .build(),
        ServicePrincipal.newBuilder()
            .setId("sp1")
            .setAppId("00000003-0000-0000-c000-000000000000")
            .setAppRoles(
                List.of(
                    new AppRole(
                        "df021288-bdef-4463-88db-98f22de89214",
                        "User.Read.All",
                        "Read all users' full profiles",
                        List.of("Application"),
                        true)))
            .build(),
        DirectoryRole.newBuilder().setId("r1").setDisplayName("Global Reader").build());
  }
}
