package dev.sluice.controller.metrics;

import static dev.sluice.controller.metrics.SluiceGauge.ROLLOUT_ABORTED;
import static dev.sluice.controller.metrics.SluiceGauge.ROLLOUT_AVAILABLE_REPLICAS;
import static dev.sluice.controller.metrics.SluiceGauge.ROLLOUT_CANARY_WEIGHT;
import static dev.sluice.controller.metrics.SluiceGauge.ROLLOUT_CURRENT_STEP;
import static dev.sluice.controller.metrics.SluiceGauge.ROLLOUT_PHASE;
import static dev.sluice.controller.metrics.SluiceGauge.ROLLOUT_READY_REPLICAS;
import static dev.sluice.controller.metrics.SluiceGauge.ROLLOUT_SPEC_REPLICAS;
import static dev.sluice.controller.metrics.SluiceGauge.ROLLOUT_STATUS_REPLICAS;
import static dev.sluice.controller.metrics.SluiceGauge.ROLLOUT_STEPS;
import static dev.sluice.controller.metrics.SluiceGauge.ROLLOUT_UPDATED_REPLICAS;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStatus;
import java.util.ArrayList;
import java.util.List;

/** The gauge values of one rollout, read from its spec and status (pure). */
public final class RolloutSamples {
  /** Every phase gets a series (1 for the current one), so a dashboard can count and chart them. */
  public static final List<String> PHASES = List.of("Healthy", "Progressing", "Paused", "Degraded");
  public static final String CANARY = "canary";
  public static final String BLUE_GREEN = "blueGreen";

  private RolloutSamples() {}

  public static List<GaugeSample> of(Rollout rollout) {
    String ns = rollout.getMetadata().getNamespace();
    String name = rollout.getMetadata().getName();
    RolloutSpec spec = rollout.getSpec();
    RolloutStatus status = rollout.getStatus();
    List<GaugeSample> samples = new ArrayList<>();

    String phase = status == null ? null : status.phase();
    String strategy = strategy(spec);
    for (String p : PHASES) {
      samples.add(GaugeSample.of(ROLLOUT_PHASE, p.equals(phase) ? 1 : 0, ns, name, strategy, p));
    }
    samples.add(GaugeSample.of(ROLLOUT_ABORTED, status != null && Boolean.TRUE.equals(status.abort()) ? 1 : 0, ns, name));
    samples.add(GaugeSample.of(ROLLOUT_STEPS, stepCount(spec), ns, name));
    if (status != null && status.currentStepIndex() != null) {
      samples.add(GaugeSample.of(ROLLOUT_CURRENT_STEP, status.currentStepIndex(), ns, name));
    }
    Integer weight = BLUE_GREEN.equals(strategy) ? activeOnUpdate(status) : canaryWeight(status);
    if (weight != null) {
      samples.add(GaugeSample.of(ROLLOUT_CANARY_WEIGHT, weight, ns, name));
    }
    samples.add(GaugeSample.of(ROLLOUT_SPEC_REPLICAS, spec == null || spec.replicas() == null ? 1 : spec.replicas(), ns, name));
    samples.add(GaugeSample.of(ROLLOUT_STATUS_REPLICAS, count(status == null ? null : status.replicas()), ns, name));
    samples.add(GaugeSample.of(ROLLOUT_UPDATED_REPLICAS, count(status == null ? null : status.updatedReplicas()), ns, name));
    samples.add(GaugeSample.of(ROLLOUT_READY_REPLICAS, count(status == null ? null : status.readyReplicas()), ns, name));
    samples.add(GaugeSample.of(ROLLOUT_AVAILABLE_REPLICAS, count(status == null ? null : status.availableReplicas()), ns, name));
    return samples;
  }

  private static int stepCount(RolloutSpec spec) {
    if (spec == null || spec.strategy() == null || spec.strategy().canary() == null || spec.strategy().canary().steps() == null) {
      return 0;
    }
    return spec.strategy().canary().steps().size();
  }

  /** "canary", "blueGreen", or "" for a spec with neither (the controller reports it InvalidSpec). */
  private static String strategy(RolloutSpec spec) {
    if (spec == null || spec.strategy() == null) return "";
    if (spec.strategy().blueGreen() != null) return BLUE_GREEN;
    return spec.strategy().canary() != null ? CANARY : "";
  }

  // blue-green's "weight" of the update: all traffic or none, by the hash the active Service selects
  private static Integer activeOnUpdate(RolloutStatus status) {
    if (status == null || status.blueGreen() == null || status.blueGreen().activeSelector() == null
        || status.currentPodHash() == null) {
      return null;
    }
    return status.blueGreen().activeSelector().equals(status.currentPodHash()) ? 100 : 0;
  }

  private static Integer canaryWeight(RolloutStatus status) {
    return status == null ? null : status.canaryWeight().orElse(null);
  }

  private static int count(Integer replicas) {
    return replicas == null ? 0 : replicas;
  }
}
