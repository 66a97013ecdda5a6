package io.dirpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirpipe.schemas.entity.User;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void namesComeFromThePrefix() {
    Topics topics = new Topics("prod.dirpipe.");

    assertThat(topics.raw(Collection.USERS).name()).isEqualTo("prod.dirpipe.raw.users");
    assertThat(topics.changes(Collection.SERVICE_PRINCIPALS).name())
        .isEqualTo("prod.dirpipe.changes.servicePrincipals");
    assertThat(topics.inventory(Collection.GROUPS).name())
        .isEqualTo("prod.dirpipe.inventory.groups");
    assertThat(topics.memberships().name()).isEqualTo("prod.dirpipe.changes.memberships");
    assertThat(topics.checkpoints().name()).isEqualTo("prod.dirpipe.checkpoints");
    assertThat(topics.runs().name()).isEqualTo("prod.dirpipe.runs");
    assertThat(topics.tasks().name()).isEqualTo("prod.dirpipe.tasks");
    assertThat(topics.deadLetters("lake").name()).isEqualTo("prod.dirpipe.dlq.lake");
    assertThat(new Topics().raw(Collection.DEVICES).name()).isEqualTo("dirpipe.raw.devices");
  }

  @Test
  void compactedTopicsAreTheInventoryAndCheckpoints() {
    Topics topics = new Topics();
    assertThat(topics.inventory(Collection.USERS).compacted()).isTrue();
    assertThat(topics.checkpoints().compacted()).isTrue();
    assertThat(topics.raw(Collection.USERS).compacted()).isFalse();
    assertThat(topics.changes(Collection.USERS).compacted()).isFalse();
  }

  @Test
  void inventoryIsTypedByTheCollection() {
    Topic<ObjectKey, User> users = new Topics().inventory(Collection.USERS);
    User u = Samples.user("u1");
    byte[] bytes = users.valueSerde().serializer().serialize(users.name(), u);
    assertThat(users.valueSerde().deserializer().deserialize(users.name(), bytes)).isEqualTo(u);
  }

  @Test
  void badPrefixIsRefusedWithTheValue() {
    assertThatThrownBy(() -> new Topics("dir pipe/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'dir pipe/'");
  }

  @Test
  void groupMembersHaveNoInventory() {
    assertThatThrownBy(() -> new Topics().inventory(Collection.GROUP_MEMBERS))
        .hasMessageContaining("memberships()");
  }

  @Test
  void unknownCollectionListsTheValidOnes() {
    assertThat(Collection.of("devices")).isSameAs(Collection.DEVICES);
    assertThatThrownBy(() -> Collection.of("usres"))
        .hasMessageContaining("'usres'")
        .hasMessageContaining("users, groups, groupMembers");
  }
}
