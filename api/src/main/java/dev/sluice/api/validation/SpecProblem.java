package dev.sluice.api.validation;

/**
 * One thing wrong in a spec: where, as the user writes it ({@code spec.strategy.canary.steps[2].setWeight};
 * a map key that is not a plain word is quoted, {@code headers["x.y"]}; a problem of two fields together
 * names both, separated by ", "), and what.
 */
public record SpecProblem(String path, String message) {

  /** {@code path: message}, the form the controller shows in the InvalidSpec condition. */
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
