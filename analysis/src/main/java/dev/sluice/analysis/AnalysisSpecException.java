package dev.sluice.analysis;

/**
 * The run cannot be used as written: an argument without a value, a condition that does not
 * compile, a duration that does not parse, a metric without a provider. The message says what and
 * where, and never contains a secret value.
 */
public final class AnalysisSpecException extends RuntimeException {
  public AnalysisSpecException(String message) {
    super(message);
  }
}
