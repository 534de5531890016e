package dev.sluice.controller;

import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.Objects;

/**
 * Writes a planned status with optimistic locking. A conflict hands back the newest object; if its
 * status moved on since it was read (a user's promote, abort or retry is a status patch), the
 * planned status is stale: nothing is written and the reconcile is planned again from the fresh
 * status, so a user's action is never overwritten.
 */
public final class StatusWrites {
  private StatusWrites() {}

  /**
   * @param primary the object read; the write may set {@code planned} on it, so a caller that needs the
   *     status it planned from keeps {@code plannedFrom}
   * @param plannedFrom the status the plan was made from
   * @return the resource as written
   */
  public static <S, P extends CustomResource<?, S>> P replace(P primary, Context<P> context, S plannedFrom, S planned) {
    return PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(primary, context, fresh -> {
      if (!Objects.equals(fresh.getStatus(), plannedFrom)) {
        throw new StaleStatusException(fresh);
      }
      fresh.setStatus(planned);
      return fresh;
    });
  }

  /** Thrown to plan again when someone else wrote the status after it was read (retried at once). */
  public static final class StaleStatusException extends RuntimeException {
    StaleStatusException(CustomResource<?, ?> resource) {
      super("status of " + resource.getKind() + " " + resource.getMetadata().getNamespace() + "/"
          + resource.getMetadata().getName() + " changed while it was being reconciled; planning again", null, false, false);
    }
  }
}
