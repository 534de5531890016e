package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.AnalysisRunSpec;
import dev.sluice.api.v1alpha1.CanaryStep;
import java.util.Map;

/** One idempotent change to the cluster. Applied in plan order. */
public sealed interface Action {

  /**
   * Create ReplicaSet {@code name} from the rollout's template, labelled with {@code hash}, at
   * {@code replicas}, annotated with {@code revision}.
   */
  record CreateReplicaSet(String name, String hash, long revision, int replicas) implements Action {}

  /** Set spec.replicas of an owned ReplicaSet. */
  record ScaleReplicaSet(String name, int replicas) implements Action {}

  /** Re-stamp an owned ReplicaSet's revision annotation (a rollback reuses an old ReplicaSet). */
  record SetRevision(String name, long revision) implements Action {}

  /** Remove an old ReplicaSet beyond revisionHistoryLimit. */
  record DeleteReplicaSet(String name) implements Action {}

  /**
   * Set the replicas of the Deployment spec.workloadRef names, through its scale subresource (the
   * only write Sluice makes to that Deployment).
   */
  record ScaleDeployment(String name, int replicas) implements Action {}

  /** Delete one pod (restartAt: pods are replaced one at a time). */
  record DeletePod(String name) implements Action {}

  /** Point a Service's selector at pods with this pod-template-hash. */
  record PinServiceSelector(String service, String hash) implements Action {}

  /**
   * Annotate an old stable ReplicaSet with the time it may be scaled down (RFC 3339):
   * scaleDownDelaySeconds after a traffic-routed promotion. Kept on the object so a restarted
   * controller keeps the same deadline.
   */
  record SetScaleDownDeadline(String name, String deadline) implements Action {
    public static final String ANNOTATION = "sluice.dev/scale-down-deadline";
  }

  /**
   * Create an AnalysisRun owned by the rollout (controller=true). Creating one that exists is fine:
   * the name says which analysis of which attempt it is.
   */
  record CreateAnalysisRun(String name, Map<String, String> labels, Map<String, String> annotations, AnalysisRunSpec spec)
      implements Action {}

  /** Set spec.terminate on an owned AnalysisRun: the rollout no longer waits on it (a completed run keeps its phase). */
  record TerminateAnalysisRun(String name) implements Action {}

  /** Delete an owned, completed AnalysisRun beyond the history limits. */
  record DeleteAnalysisRun(String name) implements Action {}

  /**
   * An action carried out through the rollout's traffic router. {@code canaryHash} and
   * {@code stableHash} say which pods the canary and stable destinations select (Istio subsets are
   * relabelled to them when the weight is set).
   */
  sealed interface TrafficAction extends Action {
    String canaryHash();

    String stableHash();
  }

  /** Send {@code weight} (out of maxTrafficWeight) of the requests to the canary, the rest to the stable. */
  record SetTrafficWeight(int weight, String canaryHash, String stableHash) implements TrafficAction {}

  /** Add or replace a managed header route (a route without matches removes it). */
  record SetHeaderRoute(CanaryStep.SetHeaderRoute route, String canaryHash, String stableHash) implements TrafficAction {}

  /** Add or replace a managed mirror route (a route without matches removes it). */
  record SetMirrorRoute(CanaryStep.SetMirrorRoute route, String canaryHash, String stableHash) implements TrafficAction {}

  /** Remove every header and mirror route Sluice added. */
  record RemoveManagedRoutes(String canaryHash, String stableHash) implements TrafficAction {}
}
