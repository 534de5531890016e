package dev.sluice.controller.plan;

import java.nio.charset.StandardCharsets;

/** 32-bit FNV-1a, rendered the way Kubernetes renders pod-template-hash values. */
final class Fnv {
  private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private Fnv() {}

  static String safeEncodedHash(String text) {
    int hash = 0x811c9dc5;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= (b & 0xff);
      hash *= 0x01000193;
    }
    String decimal = Long.toString(Integer.toUnsignedLong(hash));
    StringBuilder encoded = new StringBuilder(decimal.length());
    for (char c : decimal.toCharArray()) {
      encoded.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length()));
    }
    return encoded.toString();
  }
}
