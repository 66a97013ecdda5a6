package io.dirpipe.core;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The wait a {@code Retry-After} header asks for. RFC 9110 allows delta-seconds or an HTTP-date;
 * Graph's throttling documentation also shows fractional seconds ({@code Retry-After: 2.128}).
 * Every form is honoured, so a throttled client never hammers the endpoint because the value was
 * written in a form it did not expect.
 */
public final class RetryAfter {
  private RetryAfter() {}

  /**
   * @param value the header, or null
   * @param now the current time, for the HTTP-date form
   * @return the wait (zero for a date in the past), or null when the header is absent or unreadable
   */
  public static Duration parse(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    if (v.matches("\\d{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    if (v.matches("\\d{1,9}\\.\\d{1,9}")) {
      // rounded up to the millisecond: waiting a little longer is safe, shorter is not
      long micros = Math.round(Math.ceil(Double.parseDouble(v) * 1000));
      return Duration.ofMillis(micros);
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
