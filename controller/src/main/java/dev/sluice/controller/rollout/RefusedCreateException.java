package dev.sluice.controller.rollout;

import dev.sluice.controller.plan.RefusedCreate;

/** The API server refused an object the plan creates, for a reason retrying will not fix by itself. */
final class RefusedCreateException extends RuntimeException {
  private final transient RefusedCreate refusal;

  RefusedCreateException(RefusedCreate refusal, Throwable cause) {
    super(refusal.kind() + " " + refusal.name() + " refused (" + refusal.code() + "): " + refusal.message(), cause);
    this.refusal = refusal;
  }

  RefusedCreate refusal() {
    return refusal;
  }
}
