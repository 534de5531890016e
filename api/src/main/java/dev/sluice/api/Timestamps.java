package dev.sluice.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * RFC 3339 times as Sluice writes and reads them: in status (pause start, abortedAt, a run's
 * startedAt and measurements), spec.restartAt and annotations. Written in UTC with millisecond
 * precision; read with any offset, within the four-digit years RFC 3339 allows.
 */
public final class Timestamps {
  // RFC 3339 years have four digits; java.time reads up to nine, and adding a pause to such a time overflows
  private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private Timestamps() {}

  /** @throws DateTimeParseException if {@code text} is not an RFC 3339 time between the years 1 and 9999 */
  public static Instant parse(String text) {
    Instant instant;
    try {
      instant = Instant.parse(text);
    } catch (DateTimeParseException e) {
      instant = OffsetDateTime.parse(text).toInstant();
    }
    if (instant.isBefore(FIRST) || instant.isAfter(LAST)) {
      throw new DateTimeParseException("not a four-digit year", text, 0);
    }
    return instant;
  }

  /** Empty for null and for text that is not such a time. */
  public static Optional<Instant> tryParse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  public static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
