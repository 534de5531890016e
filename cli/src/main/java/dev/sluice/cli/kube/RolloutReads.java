package dev.sluice.cli.kube;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;

/** What `get rollout`, `list rollouts` and `status --watch=false` read: through the full client ({@link RolloutClient}) or without it ({@link DirectReads}). */
public interface RolloutReads {
  String namespace();

  /**
   * The rollout, or an error naming it and the namespace when it is not there, or saying where and
   * why when the stored object cannot be read by this kubectl-sluice.
   */
  Rollout require(String name);

  /** The Rollouts of the namespace (or all); one that cannot be read is in {@link StoredRollouts.Listing#unreadable}. */
  StoredRollouts.Listing list(boolean allNamespaces);

  List<ReplicaSet> replicaSets(Rollout rollout);

  /** The rollout's AnalysisRuns; none when the AnalysisRun CRD is not installed. */
  List<AnalysisRun> analysisRuns(Rollout rollout);
}
