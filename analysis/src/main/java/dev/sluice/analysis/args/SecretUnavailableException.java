package dev.sluice.analysis.args;

/**
 * A Secret that could not be read for a passing reason (the API server unavailable, a timeout, a
 * 5xx): the measurement is tried again later, it is not an Error. The message names the Secret, never a value.
 */
public final class SecretUnavailableException extends RuntimeException {
  public SecretUnavailableException(String message) {
    super(message);
  }
}
