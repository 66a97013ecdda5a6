package io.dirpipe.transformer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which local state is used, rebuilt, or refused. */
class StateOriginTest {
  static final String APP = "dirpipe-transformer";
  @TempDir Path dir;

  static StateOrigin origin(String cluster, String usersTopicId) {
    return new StateOrigin(Map.of("cluster.id", cluster, "topic.dirpipe.raw.users", usersTopicId));
  }

  void someState() throws Exception {
    Files.createDirectories(dir.resolve(APP).resolve("0_1").resolve("rocksdb"));
  }

  @Test
  void noStateOrStateOfTheSameOriginIsUsed() throws Exception {
    assertThat(origin("A", "t1").mismatch(dir, APP)).as("no state yet").isNull();
    origin("A", "t1").write(dir, APP);
    someState();
    assertThat(origin("A", "t1").mismatch(dir, APP)).isNull();
  }

  @Test
  void stateOfAnotherClusterOrOfUnknownOriginIsRebuilt() throws Exception {
    someState();
    StateOrigin.Mismatch unknown = origin("A", "t1").mismatch(dir, APP);
    assertThat(unknown.rebuild()).isTrue();
    assertThat(unknown.reason()).contains("no record of the cluster");
    origin("A", "t1").write(dir, APP);
    StateOrigin.Mismatch other = origin("B", "t9").mismatch(dir, APP);
    assertThat(other.rebuild()).isTrue();
    assertThat(other.reason()).contains("built from Kafka cluster A").contains("cluster B");
  }

  @Test
  void aRecreatedInputTopicOnTheSameClusterIsRefused() throws Exception {
    someState();
    origin("A", "t1").write(dir, APP);
    StateOrigin.Mismatch recreated = origin("A", "t2").mismatch(dir, APP);
    assertThat(recreated.rebuild()).isFalse();
    assertThat(recreated.reason())
        .contains("topic dirpipe.raw.users was deleted and created again")
        .contains("t1")
        .contains("t2");
  }
}
