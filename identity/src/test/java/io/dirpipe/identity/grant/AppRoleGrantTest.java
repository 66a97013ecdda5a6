package io.dirpipe.identity.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dirpipe.identity.IdentityException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppRoleGrantTest {
  static final JsonNode ROLES =
      read(
          """
      [{"id":"r1","value":"User.Read.All","allowedMemberTypes":["Application"],"isEnabled":true},
       {"id":"r2","value":"Group.Read.All","allowedMemberTypes":["Application"],"isEnabled":true},
       {"id":"r3","value":"GroupMember.Read.All","allowedMemberTypes":["Application"],"isEnabled":true},
       {"id":"r4","value":"User.Read","allowedMemberTypes":["User"],"isEnabled":true}]
      """);

  static JsonNode read(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void mapsApplicationPermissionsToTheirRoleIds() {
    assertThat(AppRoleGrant.resolve(ROLES, List.of("Group.Read.All", " User.Read.All")))
        .containsExactly(
            java.util.Map.entry("Group.Read.All", "r2"),
            java.util.Map.entry("User.Read.All", "r1"));
  }

  @Test
  void unknownNamesFailBeforeAnythingIsWrittenWithTheClosestValidNames() {
    assertThatThrownBy(() -> AppRoleGrant.resolve(ROLES, List.of("User.Read.All", "Grop.Read.All")))
        .isInstanceOfSatisfying(
            IdentityException.class,
            e -> assertThat(e.reason()).isEqualTo(IdentityException.Reason.NOT_FOUND))
        .hasMessageStartingWith("Nothing was granted")
        .hasMessageContaining("'Grop.Read.All'")
        .hasMessageContaining("closest: Group.Read.All");
  }

  @Test
  void delegatedOnlyPermissionsAreRefused() {
    assertThatThrownBy(() -> AppRoleGrant.resolve(ROLES, List.of("User.Read")))
        .hasMessageContaining("'User.Read' is not an application permission");
  }
}
