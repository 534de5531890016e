package dev.sluice.cli.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a value sits in a manifest, written the way users read it:
 * {@code spec.strategy.canary.steps[2].setWeight}; keys that are not plain words are quoted,
 * as in {@code metadata.labels["sluice.dev/revision"]}.
 */
public final class FieldPath {
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_$-]+");
  private static final FieldPath ROOT = new FieldPath(List.of());

  private final List<String> segments;

  private FieldPath(List<String> segments) {
    this.segments = segments;
  }

  public static FieldPath root() {
    return ROOT;
  }

  /** Parses a path in the dotted form this class prints; keys are plain words. */
  public static FieldPath of(String dotted) {
    FieldPath path = ROOT;
    for (String part : dotted.split("\\.")) {
      int bracket = part.indexOf('[');
      path = path.field(bracket < 0 ? part : part.substring(0, bracket));
      while (bracket >= 0) {
        int close = part.indexOf(']', bracket);
        path = path.index(Integer.parseInt(part.substring(bracket + 1, close)));
        bracket = part.indexOf('[', close);
      }
    }
    return path;
  }

  public FieldPath field(String name) {
    return append(PLAIN_KEY.matcher(name).matches() ? "." + name : "[\"" + name.replace("\"", "\\\"") + "\"]");
  }

  public FieldPath index(int i) {
    return append("[" + i + "]");
  }

  /** The path without its last segment; the root for the root. */
  public FieldPath parent() {
    return segments.isEmpty() ? this : new FieldPath(segments.subList(0, segments.size() - 1));
  }

  /** True when {@code other} is this path or lies inside it. */
  public boolean contains(FieldPath other) {
    return other.segments.size() >= segments.size() && other.segments.subList(0, segments.size()).equals(segments);
  }

  public boolean isRoot() {
    return segments.isEmpty();
  }

  /** The last key, or null when the path ends with an index or is the root. */
  public String lastField() {
    if (segments.isEmpty()) return null;
    String last = segments.get(segments.size() - 1);
    if (last.startsWith(".")) return last.substring(1);
    if (last.startsWith("[\"")) return last.substring(2, last.length() - 2).replace("\\\"", "\"");
    return null;
  }

  private FieldPath append(String segment) {
    List<String> next = new ArrayList<>(segments.size() + 1);
    next.addAll(segments);
    next.add(segment);
    return new FieldPath(List.copyOf(next));
  }

  @Override
  public String toString() {
    String joined = String.join("", segments);
    return joined.startsWith(".") ? joined.substring(1) : joined;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldPath other && other.segments.equals(segments);
  }

  @Override
  public int hashCode() {
    return segments.hashCode();
  }
}
