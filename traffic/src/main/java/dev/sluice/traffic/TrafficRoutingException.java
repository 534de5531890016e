package dev.sluice.traffic;

/**
 * A router could not do what was asked. The message is meant for the Rollout's condition: it names
 * the object and the field at fault, for example
 * {@code HTTPRoute demo-route: no backendRef to Service demo-canary in spec.rules}.
 *
 * <p>{@link #retryable()} tells a transient failure (a write conflict, an unreachable API server),
 * which the next reconcile retries as is, from one the user has to fix (a missing route object, a
 * backend that is not the canary/stable Service, a step the router cannot do): the rollout waits.
 */
public final class TrafficRoutingException extends RuntimeException {

  public enum Reason {
    /** The route object (or a named route inside it) does not exist. */
    NOT_FOUND("TrafficRouteNotFound"),
    /** The route object exists but does not have the shape the spec needs. */
    MALFORMED("TrafficRouteMalformed"),
    /** The spec asks for something this router cannot express. */
    UNSUPPORTED("TrafficRoutingUnsupported"),
    /** The rollout's own spec is incomplete or contradictory for this router. */
    INVALID_SPEC("TrafficRoutingInvalidSpec"),
    /** An object Sluice would create already exists and belongs to someone else. */
    NOT_OWNED("TrafficRouteNotOwned"),
    /** Someone else changed the object between read and write (HTTP 409). */
    CONFLICT("TrafficRouteConflict"),
    /** The API server refused or could not be reached. */
    API_ERROR("TrafficRouteUpdateFailed");

    private final String conditionReason;

    Reason(String conditionReason) {
      this.conditionReason = conditionReason;
    }

    /** A CamelCase reason for a Kubernetes condition or event. */
    public String conditionReason() {
      return conditionReason;
    }
  }

  private final Reason reason;

  public TrafficRoutingException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public TrafficRoutingException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** True when the same call may succeed on the next reconcile without anyone changing anything. */
  public boolean retryable() {
    return reason == Reason.CONFLICT || reason == Reason.API_ERROR;
  }

  static TrafficRoutingException notFound(String message) {
    return new TrafficRoutingException(Reason.NOT_FOUND, message);
  }

  static TrafficRoutingException malformed(String message) {
    return new TrafficRoutingException(Reason.MALFORMED, message);
  }

  static TrafficRoutingException unsupported(String message) {
    return new TrafficRoutingException(Reason.UNSUPPORTED, message);
  }

  static TrafficRoutingException invalidSpec(String message) {
    return new TrafficRoutingException(Reason.INVALID_SPEC, message);
  }

  /** An object a router would create exists and is not Sluice's for this Rollout. */
  static TrafficRoutingException notOwned(String kind, String name, String rollout) {
    return new TrafficRoutingException(Reason.NOT_OWNED, kind + " " + name
        + " already exists and is not controlled by Rollout " + rollout + ": rename or delete it");
  }
}
