package dev.sluice.api;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/**
 * Durations as users write them in Sluice (and Argo Rollouts) manifests: an integer number of
 * seconds ({@code 30} or {@code "30"}) or a Go duration string ({@code 30s}, {@code 5m},
 * {@code 1h30m}, {@code 250ms}, {@code 1.5s}). Negative durations are rejected, and so is anything
 * longer than {@link #MAX} or written in more than {@link #MAX_LENGTH} characters: a duration is
 * tenant input read on the controller's shared threads, so parsing is one linear scan of a short
 * string, and every accepted value can be added to any RFC 3339 time and turned into milliseconds.
 */
public final class Durations {

  /** The longest duration accepted: 10 years (87600h). */
  public static final Duration MAX = Duration.ofHours(24L * 365 * 10);
  /** The longest text accepted ("2562047h47m16.854775807s" has 24 characters). */
  public static final int MAX_LENGTH = 64;

  private static final String EXPECTED = "expected integer seconds or a Go duration such as 30s, 5m, 1h30m, 250ms";
  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(MAX.toNanos());
  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

  private Durations() {}

  /**
   * @throws IllegalArgumentException when {@code value} is missing, negative, too long, or neither
   *     integer seconds nor a Go duration string
   */
  public static Duration parse(IntOrString value) {
    if (value == null || (value.getIntVal() == null && value.getStrVal() == null)) {
      throw new IllegalArgumentException("duration is missing: " + EXPECTED);
    }
    if (value.getIntVal() != null) {
      int seconds = value.getIntVal();
      if (seconds < 0) {
        throw new IllegalArgumentException("invalid duration " + seconds + ": must not be negative");
      }
      return bounded(BigDecimal.valueOf(seconds).multiply(new BigDecimal(NANOS_PER_SECOND)), String.valueOf(seconds));
    }
    return parse(value.getStrVal());
  }

  /** Same as {@link #parse(IntOrString)} for a plain string. */
  public static Duration parse(String text) {
    if (text == null) {
      return parse((IntOrString) null);
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("invalid duration \"" + text.substring(0, 20) + "...\" (" + text.length()
          + " characters): at most " + MAX_LENGTH + " characters, " + EXPECTED);
    }
    String s = text.strip();
    if (s.startsWith("-")) {
      throw new IllegalArgumentException("invalid duration \"" + text + "\": must not be negative");
    }
    if (s.startsWith("+")) {
      s = s.substring(1);
    }
    if (!s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return bounded(new BigDecimal(s).multiply(new BigDecimal(NANOS_PER_SECOND)), text);
    }
    return bounded(goDuration(s, text), text);
  }

  /** Sum of number+unit parts, scanned once from left to right. */
  private static BigDecimal goDuration(String s, String text) {
    if (s.isEmpty()) {
      throw invalid(text);
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      boolean digits = false;
      boolean dot = false;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) && s.charAt(i) < 128 || (s.charAt(i) == '.' && !dot))) {
        digits |= s.charAt(i) != '.';
        dot |= s.charAt(i) == '.';
        i++;
      }
      if (!digits) {
        throw invalid(text);
      }
      String number = s.substring(start, i);
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      long perUnit = nanosPer(s.substring(unitStart, i), text);
      nanos = nanos.add(new BigDecimal(number.endsWith(".") ? number + "0" : number).multiply(BigDecimal.valueOf(perUnit)));
    }
    return nanos;
  }

  private static long nanosPer(String unit, String text) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs", "μs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> throw invalid(text);
    };
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("invalid duration \"" + text + "\": " + EXPECTED);
  }

  private static Duration bounded(BigDecimal nanos, String text) {
    if (nanos.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException("invalid duration \"" + text + "\": too large, at most " + MAX.toHours() + "h (10 years)");
    }
    // Go truncates fractions below a nanosecond; so do we
    return Duration.ofNanos(nanos.toBigInteger().longValueExact());
  }
}
