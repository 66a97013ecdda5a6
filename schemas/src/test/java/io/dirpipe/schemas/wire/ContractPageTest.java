package io.dirpipe.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.dirpipe.schemas.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code schemas/CONTRACT.md} is the page the contract renders: a contract change that does not
 * regenerate it fails here ({@code -Dcontract.write=true} writes it).
 */
class ContractPageTest {
  static final Path PAGE = Path.of("CONTRACT.md");

  @Test
  void theCommittedPageIsTheRenderedOne() throws Exception {
    String rendered = new ContractPage(Samples.everyMessage()).render();
    if (Boolean.getBoolean("contract.write")) {
      Files.writeString(PAGE, rendered);
    }
    assertThat(Files.exists(PAGE))
        .as(PAGE.toAbsolutePath() + " exists (write it with -Dcontract.write=true)")
        .isTrue();
    assertThat(Files.readString(PAGE))
        .as(
            "schemas/CONTRACT.md is stale: mvn -pl schemas test -Dtest=ContractPageTest"
                + " -Dcontract.write=true")
        .isEqualTo(rendered);
  }

  @Test
  void everyTopicHasItsSubjectsAndAnExample() {
    String page = new ContractPage(Samples.everyMessage()).render();
    assertThat(page)
        .contains("`dirpipe.changes.<collection>-value`")
        .contains("`dirpipe.inventory.<collection>-key`")
        .contains("### Envelope")
        .contains("\"op\" : \"u\"")
        .contains("| `ts_ms` | long |");
  }
}
