package dev.sluice.controller.metrics;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-rollout and per-analysis gauges, read from the controller's own caches when Prometheus
 * scrapes: no informer of its own, no copy of the objects, nothing between scrapes.
 */
final class ResourceGauges {
  private static final Logger log = LoggerFactory.getLogger(ResourceGauges.class);

  private final SampledGauges gauges;
  private final Supplier<Stream<Rollout>> rollouts;
  private final Supplier<Stream<AnalysisRun>> runs;
  private boolean failing;

  ResourceGauges(SampledGauges gauges, Supplier<Stream<Rollout>> rollouts, Supplier<Stream<AnalysisRun>> runs) {
    this.gauges = gauges;
    this.rollouts = rollouts;
    this.runs = runs;
  }

  synchronized void refresh() {
    List<GaugeSample> samples = new ArrayList<>();
    try {
      rollouts.get().forEach(r -> samples.addAll(RolloutSamples.of(r)));
      samples.addAll(AnalysisRunSamples.of(runs.get().toList()));
    } catch (RuntimeException e) {
      // the last values stay; the scrape still serves every other metric
      if (!failing) log.warn("rollout and analysis gauges not updated: cannot read the controller's cache: {}", e.toString());
      failing = true;
      return;
    }
    if (failing) log.info("rollout and analysis gauges updated again");
    failing = false;
    gauges.show(samples);
  }
}
