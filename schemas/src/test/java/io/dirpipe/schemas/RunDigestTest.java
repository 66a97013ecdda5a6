package io.dirpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RunDigestTest {
  static byte[] h(String s) {
    return RunDigest.hash(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void orderDoesNotMatterButMissingAndDuplicatedRecordsDo() {
    RunDigest a = new RunDigest();
    a.add("u1", h("x"));
    a.add("u2", h("y"));
    a.add("u3", h("z"));
    RunDigest b = new RunDigest();
    b.add("u3", h("z"));
    b.add("u1", h("x"));
    b.add("u2", h("y"));
    assertThat(a.hex()).isEqualTo(b.hex()).hasSize(32);

    RunDigest missing = new RunDigest();
    missing.add("u1", h("x"));
    missing.add("u2", h("y"));
    assertThat(missing.hex()).isNotEqualTo(a.hex());

    RunDigest duplicated = RunDigest.of(a.hex());
    duplicated.add("u2", h("y"));
    assertThat(duplicated.hex()).isNotEqualTo(a.hex());
    RunDigest changed = new RunDigest();
    changed.add("u1", h("x"));
    changed.add("u2", h("y2"));
    changed.add("u3", h("z"));
    assertThat(changed.hex()).isNotEqualTo(a.hex());
  }

  @Test
  void resumesFromItsHexForm() {
    RunDigest a = new RunDigest();
    for (int i = 0; i < 1000; i++) {
      a.add("id" + i, h("c" + i));
    }
    RunDigest resumed = new RunDigest();
    for (int i = 0; i < 500; i++) {
      resumed.add("id" + i, h("c" + i));
    }
    resumed = RunDigest.of(resumed.hex());
    for (int i = 500; i < 1000; i++) {
      resumed.add("id" + i, h("c" + i));
    }
    assertThat(resumed.hex()).isEqualTo(a.hex());
  }
}
