package dev.sluice.analysis.run;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Status timestamps: RFC 3339 in UTC with millisecond precision (intervals may be sub-second). */
public final class Timestamps {
  private Timestamps() {}

  public static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  public static Instant parse(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
