package io.dirpipe.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.schemas.entity.Edge;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The content hash is the record's, not the order its map happened to iterate in. */
class ContentHashTest {
  static Edge edge(Map<String, String> attributes) {
    return new Edge("appRoleAssignments", "sp1", "sp2", "servicePrincipal", attributes, "r1");
  }

  @Test
  void mapEntriesInAnyOrderHashAlikeAndAValueChangedDoesNot() {
    Map<String, String> one = new LinkedHashMap<>();
    one.put("appRoleId", "r1");
    one.put("principalType", "ServicePrincipal");
    one.put("assignmentId", "a1");
    Map<String, String> other = new LinkedHashMap<>();
    other.put("assignmentId", "a1");
    other.put("principalType", "ServicePrincipal");
    other.put("appRoleId", "r1");
    assertThat(ContentHash.of(edge(one))).isEqualTo(ContentHash.of(edge(other)));

    // what the topic gets is the same bytes, so a record read back hashes alike
    byte[] bytes = AvroSerde.of(Edge.class).serialize("t", edge(other));
    assertThat(ContentHash.of(AvroSerde.of(Edge.class).deserialize("t", bytes)))
        .isEqualTo(ContentHash.of(edge(one)));

    other.put("principalType", "User");
    assertThat(ContentHash.of(edge(one))).isNotEqualTo(ContentHash.of(edge(other)));
  }
}
