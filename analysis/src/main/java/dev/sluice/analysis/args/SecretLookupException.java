package dev.sluice.analysis.args;

/** A Secret or key that is missing or unreadable; the message names them, never a value. */
public final class SecretLookupException extends RuntimeException {
  public SecretLookupException(String message) {
    super(message);
  }
}
