package dev.sluice.traffic;

import dev.sluice.traffic.TrafficRoutingException.Reason;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/** Turns API server failures into {@link TrafficRoutingException}s the planner can show and retry. */
final class ApiErrors {
  private ApiErrors() {}

  /**
   * Runs one API call on {@code object} (for example {@code HTTPRoute demo-route}); {@code action}
   * says what it was for messages ({@code "update"}).
   */
  static <T> T call(String action, String object, String namespace, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw translate(action, object, namespace, e);
    }
  }

  static TrafficRoutingException translate(String action, String object, String namespace, KubernetesClientException e) {
    String detail = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    int code = e.getCode();
    if (code == 409) {
      return new TrafficRoutingException(Reason.CONFLICT,
          object + " in namespace " + namespace + " changed while Sluice was updating it: will retry", e);
    }
    if (code == 404) {
      return new TrafficRoutingException(Reason.NOT_FOUND, object + " not found in namespace " + namespace, e);
    }
    if (code == 400 || code == 422) {
      return new TrafficRoutingException(Reason.MALFORMED,
          object + ": the API server rejected Sluice's " + action + ": " + detail, e);
    }
    return new TrafficRoutingException(Reason.API_ERROR,
        "could not " + action + " " + object + " in namespace " + namespace + ": " + detail, e);
  }
}
