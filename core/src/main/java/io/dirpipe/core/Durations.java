package io.dirpipe.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them, in configuration and on the command line: ISO-8601 ({@code PT5M},
 * {@code P1D}, the documented form) or a number and a unit ({@code 500ms}, {@code 5s}, {@code 2m},
 * {@code 1h}, {@code 1d}); in configuration a bare number is milliseconds, as it always was.
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  /** What a message says a duration may be. */
  public static final String EXPECTED = "ISO-8601 (PT5S, PT5M, P1D) or 500ms, 5s, 2m, 1h, 1d";

  private Durations() {}

  /**
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static Duration parse(String text) {
    String t = text.trim();
    Matcher m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is not a duration: use " + EXPECTED);
    }
  }

  /** {@link #parse}, and a bare number of milliseconds (the configuration's older form). */
  public static Duration parseConfig(String text) {
    String t = text.trim();
    if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
      return Duration.ofMillis(Long.parseLong(t));
    }
    return parse(t);
  }

  /** The ISO-8601 form ({@code PT5M}, {@code PT168H}), as the configuration reference shows. */
  public static String iso(Duration d) {
    return d.toString();
  }
}
