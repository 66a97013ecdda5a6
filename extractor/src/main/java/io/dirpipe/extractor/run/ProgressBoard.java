package io.dirpipe.extractor.run;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/** The runs of an extraction, each readable at any time while it goes on. */
public final class ProgressBoard {
  private final Map<String, Supplier<Progress>> runs = new ConcurrentSkipListMap<>();

  void track(RunState state) {
    runs.put(state.collection, state::progress);
  }

  public List<Progress> snapshot() {
    return runs.values().stream().map(Supplier::get).toList();
  }
}
