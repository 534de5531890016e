package dev.sluice.analysis.args;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Passes lookups through and remembers every value it handed out, so they can be redacted. */
public final class RecordingSecretLookup implements SecretLookup {
  private final SecretLookup delegate;
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

  public RecordingSecretLookup(SecretLookup delegate) {
    this.delegate = delegate;
  }

  @Override
  public String value(String secretName, String key) {
    String value = delegate.value(secretName, key);
    seen.add(value);
    return value;
  }

  public List<String> values() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }
}
