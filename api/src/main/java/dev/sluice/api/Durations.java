package dev.sluice.api;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as users write them in Sluice (and Argo Rollouts) manifests: an integer number of
 * seconds ({@code 30} or {@code "30"}) or a Go duration string ({@code 30s}, {@code 5m},
 * {@code 1h30m}, {@code 250ms}, {@code 1.5s}). Negative durations are rejected.
 */
public final class Durations {

  private static final Pattern SECONDS = Pattern.compile("\\d+");
  private static final Pattern GO_DURATION = Pattern.compile("((?:\\d+\\.?\\d*|\\.\\d+)(?:ns|us|µs|μs|ms|s|m|h))+");
  private static final Pattern GO_PART = Pattern.compile("(\\d+\\.?\\d*|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
      "ns", 1L,
      "us", 1_000L,
      "µs", 1_000L,
      "μs", 1_000L,
      "ms", 1_000_000L,
      "s", 1_000_000_000L,
      "m", 60_000_000_000L,
      "h", 3_600_000_000_000L);
  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

  private Durations() {}

  /**
   * @throws IllegalArgumentException when {@code value} is missing, negative, or neither integer
   *     seconds nor a Go duration string
   */
  public static Duration parse(IntOrString value) {
    if (value == null || (value.getIntVal() == null && value.getStrVal() == null)) {
      throw new IllegalArgumentException("duration is missing: expected integer seconds or a Go duration such as 30s, 5m, 1h30m, 250ms");
    }
    if (value.getIntVal() != null) {
      int seconds = value.getIntVal();
      if (seconds < 0) {
        throw new IllegalArgumentException("invalid duration " + seconds + ": must not be negative");
      }
      return Duration.ofSeconds(seconds);
    }
    return parse(value.getStrVal());
  }

  /** Same as {@link #parse(IntOrString)} for a plain string. */
  public static Duration parse(String text) {
    if (text == null) {
      return parse((IntOrString) null);
    }
    String s = text.strip();
    if (s.startsWith("-")) {
      throw new IllegalArgumentException("invalid duration \"" + text + "\": must not be negative");
    }
    if (s.startsWith("+")) {
      s = s.substring(1);
    }
    if (SECONDS.matcher(s).matches()) {
      return toDuration(new BigDecimal(s).multiply(new BigDecimal(NANOS_PER_SECOND)), text);
    }
    if (!GO_DURATION.matcher(s).matches()) {
      throw new IllegalArgumentException("invalid duration \"" + text
          + "\": expected integer seconds or a Go duration such as 30s, 5m, 1h30m, 250ms");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher part = GO_PART.matcher(s);
    while (part.find()) {
      BigDecimal amount = new BigDecimal(part.group(1).endsWith(".") ? part.group(1) + "0" : part.group(1));
      nanos = nanos.add(amount.multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(part.group(2)))));
    }
    return toDuration(nanos, text);
  }

  private static Duration toDuration(BigDecimal nanos, String text) {
    // Go truncates fractions below a nanosecond; so do we
    BigInteger[] secondsAndNanos = nanos.toBigInteger().divideAndRemainder(NANOS_PER_SECOND);
    try {
      return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValue());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("invalid duration \"" + text + "\": too large");
    }
  }
}
