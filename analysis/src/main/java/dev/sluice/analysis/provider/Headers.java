package dev.sluice.analysis.provider;

import dev.sluice.api.v1alpha1.MetricProvider.Header;
import java.util.List;
import okhttp3.Request;

/** The metric's custom headers; a bad one is named, its value never echoed (it may hold a secret). */
final class Headers {
  private Headers() {}

  static void add(Request.Builder request, List<Header> headers) {
    if (headers == null) {
      return;
    }
    for (Header h : headers) {
      if (h.key() == null || h.key().isBlank()) {
        throw new IllegalArgumentException("a header has no key");
      }
      try {
        request.header(h.key(), h.value() == null ? "" : h.value());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("header \"" + safeName(h.key()) + "\" has a name or value HTTP does not allow");
      }
    }
  }

  /** Throws, without the value, if it cannot go into a header (e.g. a token with a trailing newline). */
  static String checked(String name, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c >= 0x7f) {
        throw new IllegalArgumentException("the value for header \"" + name
            + "\" contains a character HTTP does not allow (a trailing newline in the Secret?)");
      }
    }
    return value;
  }

  private static String safeName(String key) {
    return key.replaceAll("[^\\x21-\\x7e]", "?");
  }
}
