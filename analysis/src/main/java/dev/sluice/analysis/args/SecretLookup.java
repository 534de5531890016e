package dev.sluice.analysis.args;

/** Reads one key of a Secret in the run's namespace. Implemented by the controller over the API server. */
@FunctionalInterface
public interface SecretLookup {
  /** @throws SecretLookupException naming the Secret and key when it does not exist or cannot be read */
  String value(String secretName, String key);
}
