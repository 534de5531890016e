package dev.sluice.controller.plan;

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

  /** Delete one pod (restartAt: pods are replaced one at a time). */
  record DeletePod(String name) implements Action {}

  /** Point a Service's selector at pods with this pod-template-hash. */
  record PinServiceSelector(String service, String hash) implements Action {}
}
