package dev.sluice.controller.rollout;

import dev.sluice.api.v1alpha1.Rollout;

/**
 * An object Sluice would create already exists and is not this rollout's (another controller's, a
 * person's, another rollout's): Sluice leaves it alone and the rollout says so.
 */
public final class NameTakenException extends RuntimeException {
  public static final String REASON = "NameTaken";

  NameTakenException(String message) {
    super(message);
  }

  static NameTakenException of(String kind, String name, Rollout rollout) {
    return new NameTakenException(kind + " \"" + name + "\" already exists and is not owned by Rollout \""
        + rollout.getMetadata().getName() + "\": Sluice leaves it alone; delete or rename it to go on");
  }
}
