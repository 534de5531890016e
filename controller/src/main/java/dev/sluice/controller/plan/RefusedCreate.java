package dev.sluice.controller.plan;

/**
 * The API server refused to create an object a plan asked for: a ReplicaSet or an AnalysisRun.
 *
 * @param kind ReplicaSet or AnalysisRun
 * @param code the HTTP status: 400 (cannot be decoded) and 422 (invalid) mean the spec it came from
 *     is wrong; anything else (403: a quota or admission policy) that the cluster refuses it now
 * @param message the API server's own message
 */
public record RefusedCreate(String kind, String name, int code, String message) {
  public static final String CREATE_ERROR = "ReplicaSetCreateError";

  /** The object as the spec describes it can never be created: fix the spec. */
  public boolean invalid() {
    return code == 400 || code == 422;
  }

  /** Whether a create that failed with this HTTP status is reported on the rollout (rather than retried). */
  public static boolean reported(int code) {
    return code == 400 || code == 403 || code == 422;
  }

  String describe() {
    return (kind.equals("ReplicaSet") ? "spec.template: " : "")
        + "the API server refused to create " + kind + " \"" + name + "\": " + message;
  }
}
