package dev.sluice.controller.plan;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** RFC 3339 times as they appear in status (pause start, abortedAt) and spec.restartAt. */
final class Timestamps {
  private Timestamps() {}

  /** @throws DateTimeParseException if {@code text} is not an RFC 3339 time */
  static Instant parse(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(text).toInstant();
    }
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
