package dev.sluice.cli.render;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Ages the way kubectl prints them: 45s, 12m, 5h, 3d. */
public final class Ages {
  private Ages() {}

  public static String since(String timestamp, Instant now) {
    if (timestamp == null) return "-";
    try {
      return format(Duration.between(Instant.parse(timestamp), now));
    } catch (DateTimeParseException e) {
      return "-";
    }
  }

  public static String format(Duration age) {
    long seconds = Math.max(0, age.getSeconds());
    if (seconds < 120) return seconds + "s";
    if (seconds < 2 * 3600) return seconds / 60 + "m";
    if (seconds < 48 * 3600) return seconds / 3600 + "h";
    return seconds / 86400 + "d";
  }
}
