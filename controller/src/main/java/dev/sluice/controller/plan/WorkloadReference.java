package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutSpec.WorkloadRef;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.validation.LabelSelectors;
import dev.sluice.controller.plan.Action.ScaleDeployment;
import dev.sluice.controller.plan.Observed.ObservedDeployment;
import java.util.Optional;

/**
 * spec.workloadRef, the pure part: whether the referenced Deployment can give the rollout its pod
 * template, and how far the Deployment itself is scaled down as the rollout takes over. The
 * template's hash is the observer's ({@link Observed#desiredHash}), computed exactly as for
 * spec.template, so a change to the Deployment's template starts an update like a change to
 * spec.template would.
 */
public final class WorkloadReference {
  private WorkloadReference() {}

  /**
   * Why the referenced Deployment cannot be used (the rollout then waits as with an invalid spec:
   * the Deployment's creation or change wakes it), as {@code <field>: <problem>}; empty when the
   * rollout has no workloadRef or the Deployment fits.
   */
  static Optional<String> problem(RolloutSpec spec, String namespace, Optional<ObservedDeployment> deployment) {
    WorkloadRef ref = spec.workloadRef();
    if (ref == null) {
      return Optional.empty();
    }
    if (deployment.isEmpty()) {
      return Optional.of("spec.workloadRef.name: Deployment \"" + ref.name() + "\" not found in namespace " + namespace
          + "; the rollout waits for it");
    }
    if (!LabelSelectors.matches(spec.selector(), deployment.get().templateLabels())) {
      return Optional.of("spec.selector: does not match the pod template labels of Deployment \"" + ref.name()
          + "\" (spec.workloadRef)");
    }
    return Optional.empty();
  }

  /**
   * The Deployment's scale once this plan's status is written, when it differs from what it has:
   * {@code onsuccess} scales it to 0 once the rollout is Healthy; {@code progressively} lowers it to
   * what the rollout's available pods do not yet cover, and to 0 once Healthy; {@code never} leaves
   * it. The Deployment is never scaled up: pods it would add run its (possibly new) template
   * outside the rollout's steps.
   */
  static Optional<Action> scaleDown(RolloutSpec spec, Optional<ObservedDeployment> deployment, RolloutStatus status,
      int replicas) {
    if (spec.workloadRef() == null || deployment.isEmpty()) {
      return Optional.empty();
    }
    ObservedDeployment d = deployment.get();
    boolean healthy = status != null && StatusAssembler.PHASE_HEALTHY.equals(status.phase());
    int available = status == null || status.availableReplicas() == null ? 0 : status.availableReplicas();
    int target = switch (spec.workloadRef().scaleDownOrDefault()) {
      case WorkloadRef.ON_SUCCESS -> healthy ? 0 : d.specReplicas();
      case WorkloadRef.PROGRESSIVELY -> healthy ? 0 : progressiveTarget(replicas, available, d.specReplicas());
      default -> d.specReplicas();
    };
    return target == d.specReplicas() ? Optional.empty() : Optional.of(new ScaleDeployment(d.name(), target));
  }

  /**
   * {@code progressively}: the Deployment keeps the pods the rollout's available ones do not yet
   * replace, {@code replicas - available}, never below 0 and never above what it has.
   */
  public static int progressiveTarget(int replicas, int available, int deploymentReplicas) {
    return Math.min(deploymentReplicas, Math.max(0, replicas - available));
  }
}
