package io.dirpipe.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Command-line durations and times as people type them. */
final class Durations {
  private Durations() {}

  /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d} or ISO-8601 ({@code PT5S}). */
  static Duration parse(String text) {
    return io.dirpipe.core.Durations.parse(text);
  }

  /** {@link #instant(String, io.dirpipe.core.Time)} on the system clock. */
  static Instant instant(String text) {
    return instant(text, io.dirpipe.core.Time.SYSTEM);
  }

  /**
   * A time: {@code now}; {@code now} less a duration ({@code -P1D}, {@code -PT2H}, {@code -1d},
   * {@code -90m}); an ISO-8601 instant ({@code 2026-11-24T08:00:00Z}, or with an offset); or epoch
   * milliseconds.
   */
  static Instant instant(String text, io.dirpipe.core.Time time) {
    String t = text.trim();
    if (t.equalsIgnoreCase("now")) {
      return time.now();
    }
    try {
      if (t.startsWith("-")) {
        return time.now().minus(parse(t.substring(1)));
      }
      if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
        return Instant.ofEpochMilli(Long.parseLong(t));
      }
      return OffsetDateTime.parse(t).toInstant();
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a time: use now, a time before now (-P1D, -PT2H, -1d, -90m), ISO-8601 with a"
              + " zone (2026-11-24T08:00:00Z) or epoch milliseconds");
    }
  }
}
