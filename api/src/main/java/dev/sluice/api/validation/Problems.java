package dev.sluice.api.validation;

import dev.sluice.api.Durations;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects the problems of one spec in the order the rules find them; the small checks every rule uses. */
final class Problems {
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_$-]+");

  private final List<SpecProblem> found = new ArrayList<>();

  List<SpecProblem> list() {
    return List.copyOf(found);
  }

  void add(String path, String message) {
    found.add(new SpecProblem(path, message));
  }

  void required(String path, String value) {
    if (blank(value)) {
      add(path, "required");
    }
  }

  void atLeast(String path, Integer value, int min) {
    if (value != null && value < min) {
      add(path, "must be " + (min == 0 ? "0 or more" : "at least " + min) + ", got " + value);
    }
  }

  void between(String path, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      add(path, "must be between " + min + " and " + max + ", got " + value);
    }
  }

  void duration(String path, IntOrString value) {
    if (value == null) {
      return;
    }
    try {
      Durations.parse(value);
    } catch (IllegalArgumentException e) {
      add(path, e.getMessage());
    }
  }

  void duration(String path, String value) {
    if (value != null) {
      duration(path, new IntOrString(value));
    }
  }

  /**
   * "exactly one of {names} must be set, got ..." unless exactly one of them is set.
   *
   * @return whether exactly one is set
   */
  boolean exactlyOne(String path, String names, List<String> set) {
    if (set.size() != 1) {
      add(path, "exactly one of " + names + " must be set, got " + got(set));
    }
    return set.size() == 1;
  }

  /**
   * "set exactly one of {names}, got ..." unless exactly one of them is set.
   *
   * @return whether exactly one is set
   */
  boolean oneOf(String path, String names, List<String> set) {
    if (set.size() != 1) {
      add(path, "set exactly one of " + names + ", got " + got(set));
    }
    return set.size() == 1;
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** The names whose value is set (not null, not false), from pairs of name and value. */
  static List<String> present(Object... namesAndValues) {
    List<String> set = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      Object value = namesAndValues[i + 1];
      if (value != null && !Boolean.FALSE.equals(value)) {
        set.add((String) namesAndValues[i]);
      }
    }
    return set;
  }

  /** "none" or the names, for "..., got none" / "..., got a, b". */
  private static String got(List<String> set) {
    return set.isEmpty() ? "none" : String.join(", ", set);
  }

  /** {@code path.key}, or {@code path["key"]} when the key is not a plain word (a header name may hold dots). */
  static String key(String path, String key) {
    return PLAIN_KEY.matcher(key).matches() ? path + "." + key : path + "[\"" + key.replace("\"", "\\\"") + "\"]";
  }
}
