package dev.sluice.cli.lint;

import dev.sluice.api.Durations;
import dev.sluice.cli.yaml.FieldPath;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects problems; the small checks every lint rule uses. */
final class Checks {
  private static final Pattern PERCENT = Pattern.compile("(\\d+)%");

  private final List<Problem> problems = new ArrayList<>();

  List<Problem> problems() {
    return List.copyOf(problems);
  }

  void add(FieldPath path, String message) {
    problems.add(Problem.at(path, message));
  }

  void required(FieldPath path, Object value) {
    if (value == null || (value instanceof String s && s.isBlank()) || (value instanceof List<?> l && l.isEmpty())) {
      add(path, "required");
    }
  }

  void atLeast(FieldPath path, Integer value, int min) {
    if (value != null && value < min) {
      add(path, "must be " + (min == 0 ? "0 or more" : "at least " + min) + ", got " + value);
    }
  }

  void between(FieldPath path, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      add(path, "must be between " + min + " and " + max + ", got " + value);
    }
  }

  void duration(FieldPath path, IntOrString value) {
    if (value == null) return;
    try {
      Durations.parse(value);
    } catch (IllegalArgumentException e) {
      add(path, e.getMessage());
    }
  }

  void duration(FieldPath path, String value) {
    if (value == null) return;
    try {
      Durations.parse(value);
    } catch (IllegalArgumentException e) {
      add(path, e.getMessage());
    }
  }

  /** An integer, or a string that is a whole number, a percent ("25%"), or an {{args.x}} placeholder. */
  void intOrPercent(FieldPath path, IntOrString value, boolean allowPercent) {
    if (value == null) return;
    if (value.getIntVal() != null) {
      atLeast(path, value.getIntVal(), 0);
      return;
    }
    String s = value.getStrVal();
    if (s == null || s.matches("\\d+")) return;
    if (allowPercent && PERCENT.matcher(s).matches()) return;
    add(path, "must be " + (allowPercent ? "an integer or a percentage such as 25%" : "an integer") + ", got \"" + s + "\"");
  }

  /** An integer at least {@code min}, or a string holding one or an {{args.x}} placeholder. */
  void intOrArg(FieldPath path, IntOrString value, int min) {
    if (value == null) return;
    if (value.getIntVal() != null) {
      atLeast(path, value.getIntVal(), min);
      return;
    }
    String s = value.getStrVal();
    if (s == null || s.strip().startsWith("{{")) return;
    try {
      atLeast(path, Integer.parseInt(s.strip()), min);
    } catch (NumberFormatException e) {
      add(path, "must be an integer or an {{args.name}} placeholder, got \"" + s + "\"");
    }
  }

  static boolean isPercentAbove100(IntOrString value) {
    if (value == null || value.getStrVal() == null) return false;
    var m = PERCENT.matcher(value.getStrVal());
    return m.matches() && Long.parseLong(m.group(1)) > 100;
  }

  static boolean isZero(IntOrString value) {
    if (value == null) return false;
    if (value.getIntVal() != null) return value.getIntVal() == 0;
    String s = value.getStrVal();
    return "0".equals(s) || "0%".equals(s);
  }

  static List<String> present(Object... namesAndValues) {
    List<String> set = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      Object v = namesAndValues[i + 1];
      if (v != null && !Boolean.FALSE.equals(v)) set.add((String) namesAndValues[i]);
    }
    return set;
  }

  /** "exactly one of a, b, c must be set, got none" unless exactly one of the values is set. */
  void exactlyOne(FieldPath path, Object... namesAndValues) {
    List<String> set = present(namesAndValues);
    if (set.size() == 1) return;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) names.add((String) namesAndValues[i]);
    add(path, "set exactly one of " + String.join(", ", names) + ", got " + (set.isEmpty() ? "none" : String.join(", ", set)));
  }
}
