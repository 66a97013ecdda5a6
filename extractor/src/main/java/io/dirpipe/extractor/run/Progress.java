package io.dirpipe.extractor.run;

/** A snapshot of a run in progress, for progress displays. */
public record Progress(
    String collection, long records, long removed, int pages, long throttled, double seconds) {
  public double perSecond() {
    return seconds <= 0 ? 0 : records / seconds;
  }
}
