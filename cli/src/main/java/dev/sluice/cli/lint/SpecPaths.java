package dev.sluice.cli.lint;

import dev.sluice.cli.yaml.FieldPath;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the paths of the shared rules' problems back into document paths, to find their lines:
 * {@code spec.strategy.canary.steps[2].setWeight}, {@code headers["x.y"]}, and two fields a problem
 * is about together, {@code a, b}.
 */
final class SpecPaths {
  private static final Pattern SEGMENT = Pattern.compile("\\.?([A-Za-z0-9_$-]+)|\\[(\\d+)]|\\[\"((?:[^\"\\\\]|\\\\.)*)\"]");

  private SpecPaths() {}

  static List<FieldPath> parse(String paths) {
    return Arrays.stream(paths.split(", ")).map(SpecPaths::one).toList();
  }

  /** The path up to the first segment it cannot read (the rules write none such; a line is then found for the part read). */
  private static FieldPath one(String path) {
    FieldPath result = FieldPath.root();
    Matcher m = SEGMENT.matcher(path);
    while (m.regionStart() < path.length() && m.lookingAt()) {
      if (m.group(1) != null) {
        result = result.field(m.group(1));
      } else if (m.group(2) != null) {
        result = result.index(Integer.parseInt(m.group(2)));
      } else {
        result = result.field(m.group(3).replace("\\\"", "\""));
      }
      m.region(m.end(), path.length());
    }
    return result;
  }
}
