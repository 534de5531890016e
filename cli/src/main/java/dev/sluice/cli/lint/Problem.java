package dev.sluice.cli.lint;

import dev.sluice.api.validation.SpecProblem;
import dev.sluice.cli.yaml.FieldPath;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One thing wrong in a manifest: where (a path in the document, or several when the problem is in
 * how fields go together; the first places it on a line) and what.
 */
public record Problem(List<FieldPath> paths, String message) {

  public static Problem at(FieldPath path, String message) {
    return new Problem(List.of(path), message);
  }

  /** A problem the shared rules (dev.sluice.api.validation) found. */
  static Problem of(SpecProblem problem) {
    return new Problem(SpecPaths.parse(problem.path()), problem.message());
  }

  public FieldPath path() {
    return paths.get(0);
  }

  @Override
  public String toString() {
    return path().isRoot() && paths.size() == 1
        ? message
        : paths.stream().map(FieldPath::toString).collect(Collectors.joining(", ")) + ": " + message;
  }
}
