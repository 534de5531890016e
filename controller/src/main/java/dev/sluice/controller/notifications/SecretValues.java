package dev.sluice.controller.notifications;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Secret {@value #SECRET}: a service's settings name its keys as {@code $key} (the whole value
 * or part of it), as in Argo Rollouts. Whatever is shown to a person (events, logs) goes through
 * {@link #mask} first, so a value read from the Secret never appears there.
 */
public final class SecretValues {
  public static final String SECRET = "sluice-notifications-secret";
  private static final Pattern REFERENCE = Pattern.compile("\\$([A-Za-z0-9][-._A-Za-z0-9]*)");

  private final Map<String, String> values;
  private final List<String> longestFirst;

  /** @param values the Secret's data, decoded */
  public SecretValues(Map<String, String> values) {
    this.values = Map.copyOf(values);
    this.longestFirst = values.values().stream().filter(v -> !v.isEmpty())
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  public static SecretValues none() {
    return new SecretValues(Map.of());
  }

  /**
   * {@code text} with each {@code $key} replaced by the Secret's value.
   *
   * @throws IllegalArgumentException naming the key (never a value) when the Secret lacks it
   */
  String resolve(String text) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      String value = Optional.ofNullable(values.get(key)).orElseThrow(() -> new IllegalArgumentException(
          "$" + key + " is not a key of the Secret " + SECRET + (values.isEmpty() ? " (the Secret is missing or empty)" : "")));
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** {@code text} with every Secret value in it replaced by {@code ***}. */
  public String mask(String text) {
    if (text == null) {
      return null;
    }
    String masked = text;
    for (String value : longestFirst) {
      masked = masked.replace(value, "***");
    }
    return masked;
  }
}
