package dev.sluice.controller.plan;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** RFC 3339 times as they appear in status (pause start, abortedAt) and spec.restartAt. */
final class Timestamps {
  private Timestamps() {}

  // RFC 3339 years have four digits; java.time reads up to nine, and adding a pause to such a time overflows
  private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  /** @throws DateTimeParseException if {@code text} is not an RFC 3339 time between the years 1 and 9999 */
  static Instant parse(String text) {
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

  static Optional<Instant> tryParse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  static String format(Instant instant) {
    return instant.toString();
  }
}
