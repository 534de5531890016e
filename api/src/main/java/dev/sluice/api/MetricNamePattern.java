package dev.sluice.api;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Optional;

/**
 * The {@code metricName} of a {@code dryRun} or {@code measurementRetention} rule: a regular
 * expression in Go's syntax (RE2), matched as Argo Rollouts matches it, anywhere in the metric's
 * name ({@code regexp.MatchString}): {@code .*} selects every metric, {@code ^latency$} exactly one,
 * and {@code rate} every metric whose name contains "rate".
 */
public final class MetricNamePattern {
  /**
   * Longer patterns are refused before they are compiled: a metric name is a few dozen characters,
   * and compiling a tenant's 20,000-character pattern took ~100 ms of a reconcile thread.
   */
  public static final int MAX_LENGTH = 253;

  private MetricNamePattern() {}

  /** Why {@code pattern} is not a regular expression, or empty when it is one. */
  public static Optional<String> problem(String pattern) {
    if (pattern.length() > MAX_LENGTH) {
      return Optional.of("a pattern of " + pattern.length() + " characters is too long (at most " + MAX_LENGTH + ")");
    }
    try {
      Pattern.compile(pattern);
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      return Optional.of("\"" + pattern + "\" is not a regular expression (" + e.getDescription()
          + (pattern.strip().equals("*") ? "; to select every metric write \".*\"" : "") + ")");
    }
  }

  /** @throws IllegalArgumentException when {@code pattern} is not a regular expression */
  public static boolean matches(String pattern, String metricName) {
    if (pattern.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(problem(pattern).orElseThrow());
    }
    try {
      return Pattern.compile(pattern).matcher(metricName).find();
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(problem(pattern).orElse(e.getMessage()), e);
    }
  }
}
