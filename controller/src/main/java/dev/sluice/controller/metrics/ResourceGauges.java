package dev.sluice.controller.metrics;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-rollout and per-analysis gauges, read from the controller's own caches when Prometheus
 * scrapes: no informer of its own, no copy of the objects, nothing between scrapes but each rollout's
 * last samples, which serve again while its resourceVersion is the same.
 */
final class ResourceGauges {
  private static final Logger log = LoggerFactory.getLogger(ResourceGauges.class);

  /** A rollout's samples as of one resourceVersion. */
  private record Sampled(String resourceVersion, List<GaugeSample> samples) {}

  private final SampledGauges gauges;
  private final Supplier<Stream<Rollout>> rollouts;
  private final Supplier<Stream<AnalysisRun>> runs;
  /** By uid: a rollout deleted and created again is another. */
  private Map<String, Sampled> byRollout = new HashMap<>();
  private List<GaugeSample> analysis = List.of();
  private boolean failing;

  ResourceGauges(SampledGauges gauges, Supplier<Stream<Rollout>> rollouts, Supplier<Stream<AnalysisRun>> runs) {
    this.gauges = gauges;
    this.rollouts = rollouts;
    this.runs = runs;
  }

  synchronized void refresh() {
    Map<String, Sampled> next = new HashMap<>(byRollout.size() * 2);
    List<List<GaugeSample>> set = new ArrayList<>(byRollout.size() + 1);
    List<GaugeSample> analysisNow;
    try {
      rollouts.get().forEach(r -> {
        Sampled s = sampled(r);
        if (r.getMetadata().getUid() != null) next.put(r.getMetadata().getUid(), s);
        set.add(s.samples());
      });
      analysisNow = AnalysisRunSamples.of(runs.get().toList());
    } catch (RuntimeException e) {
      // the last values stay; the scrape still serves every other metric
      if (!failing) log.warn("rollout and analysis gauges not updated: cannot read the controller's cache: {}", e.toString());
      failing = true;
      return;
    }
    if (failing) log.info("rollout and analysis gauges updated again");
    failing = false;
    byRollout = next;
    if (!analysisNow.equals(analysis)) analysis = analysisNow;
    set.add(analysis);
    gauges.show(set);
  }

  /** The rollout's samples: the last ones while its resourceVersion is the same (an object without one is sampled anew). */
  private Sampled sampled(Rollout r) {
    String version = r.getMetadata().getResourceVersion();
    Sampled last = r.getMetadata().getUid() == null ? null : byRollout.get(r.getMetadata().getUid());
    if (last != null && version != null && Objects.equals(last.resourceVersion(), version)) {
      return last;
    }
    return new Sampled(version, RolloutSamples.of(r));
  }
}
