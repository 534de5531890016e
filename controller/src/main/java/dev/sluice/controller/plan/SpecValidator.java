package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.validation.RolloutValidation;
import dev.sluice.api.validation.SpecProblem;
import java.util.Optional;

/** The first problem of a spec, as {@code <field path>: <problem>}. */
final class SpecValidator {
  private SpecValidator() {}

  static Optional<String> validate(RolloutSpec spec) {
    return RolloutValidation.validate(spec).stream().findFirst().map(SpecProblem::toString);
  }
}
