package io.dirpipe.cli;

import io.dirpipe.schemas.Collection;
import io.dirpipe.schemas.Observation;
import io.dirpipe.schemas.RunEvent;
import io.dirpipe.sink.iceberg.LakeRecords;
import io.dirpipe.transformer.audit.RunVerifier;
import java.util.function.Consumer;
import org.apache.iceberg.catalog.Catalog;

/**
 * The lake's {@code <collection>_raw} and {@code runs} tables as a run's evidence for {@code
 * verify}.
 */
public final class LakeEvidence {
  private LakeEvidence() {}

  public static RunVerifier.Source of(Catalog lake) {
    return new RunVerifier.Source() {
      @Override
      public void runEvents(Consumer<RunEvent> each) {
        LakeRecords.runEvents(lake, each);
      }

      @Override
      public void observations(Collection<?> collection, Consumer<Observation> each) {
        LakeRecords.observations(lake, collection, each);
      }

      @Override
      public String runsName() {
        return "the lake's table dirpipe.runs";
      }
    };
  }
}
