package dev.sluice.cli.lint;

import dev.sluice.cli.yaml.FieldPath;

/** One thing wrong in a manifest: where (a path in the document) and what. */
public record Problem(FieldPath path, String message) {

  public static Problem at(FieldPath path, String message) {
    return new Problem(path, message);
  }

  @Override
  public String toString() {
    return path.isRoot() ? message : path + ": " + message;
  }
}
