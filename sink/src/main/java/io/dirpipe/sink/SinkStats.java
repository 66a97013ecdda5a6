package io.dirpipe.sink;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What a sink has delivered since it started; thread-safe. */
public final class SinkStats {
  public final LongAdder records = new LongAdder();
  public final LongAdder rows = new LongAdder();
  public final LongAdder bytes = new LongAdder();
  public final LongAdder batches = new LongAdder();
  public final LongAdder files = new LongAdder();
  public final LongAdder retries = new LongAdder();
  public final LongAdder deadLettered = new LongAdder();

  /** records (read), rows (delivered), bytes, batches, files, retries, deadLettered. */
  public Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("records", records.sum());
    m.put("rows", rows.sum());
    m.put("bytes", bytes.sum());
    m.put("batches", batches.sum());
    m.put("files", files.sum());
    m.put("retries", retries.sum());
    m.put("deadLettered", deadLettered.sum());
    return m;
  }
}
