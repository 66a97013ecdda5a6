package io.dirpipe.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Topics;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Partitions and retention per kind of topic, from configuration to the topics created. */
class TopicLayoutTest {
  private static Topics topics(Map<String, String> values) {
    return new TopicsConfig(values).topics();
  }

  @Test
  void defaultsAreThreePartitionsAndTheBrokersRetention() {
    Topics t = topics(Map.of());
    NewTopic raw = TopicSetup.newTopic(t.raw(Collection.USERS), t.layout());
    assertThat(raw.numPartitions()).isEqualTo(3);
    assertThat(raw.configs()).containsOnly(Map.entry("cleanup.policy", "delete"));
    NewTopic inventory = TopicSetup.newTopic(t.inventory(Collection.USERS), t.layout());
    assertThat(inventory.configs()).containsOnly(Map.entry("cleanup.policy", "compact"));
  }

  @Test
  void eachKindTakesItsOwnPartitionsAndRetention() {
    Topics t =
        topics(
            Map.of(
                "topics.partitions", "12",
                "topics.partitions.runs", "1",
                "topics.retention.raw", "P3D",
                "topics.retention.changes", "36h",
                "topics.retention.runs", "forever"));
    NewTopic raw = TopicSetup.newTopic(t.raw(Collection.GROUPS), t.layout());
    assertThat(raw.numPartitions()).isEqualTo(12);
    assertThat(raw.configs()).containsEntry("retention.ms", "259200000");
    NewTopic changes = TopicSetup.newTopic(t.changes(Collection.GROUPS), t.layout());
    assertThat(changes.configs()).containsEntry("retention.ms", "129600000");
    assertThat(changes.numPartitions()).isEqualTo(12);
    NewTopic runs = TopicSetup.newTopic(t.runs(), t.layout());
    assertThat(runs.numPartitions()).isEqualTo(1);
    assertThat(runs.configs()).containsEntry("retention.ms", "-1");
    NewTopic tasks = TopicSetup.newTopic(t.tasks(), t.layout());
    assertThat(tasks.configs()).doesNotContainKey("retention.ms");
  }

  @Test
  void aRetentionThatIsNoDurationNamesItsKey() {
    assertThatThrownBy(() -> topics(Map.of("topics.retention.raw", "a week")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("topics.retention.raw")
        .hasMessageContaining("forever");
  }
}
