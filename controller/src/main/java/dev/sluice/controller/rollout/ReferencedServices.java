package dev.sluice.controller.rollout;

import dev.sluice.api.v1alpha1.Rollout;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The Services a Rollout names (canary, stable, active, preview, SMI root): a change to one wakes it. */
final class ReferencedServices {
  private ReferencedServices() {}

  /** The Services whose selectors the controller pins: canary and stable, or active and preview. */
  static List<String> pinned(Rollout rollout) {
    var strategy = Optional.ofNullable(rollout.getSpec()).map(s -> s.strategy());
    var canary = strategy.map(s -> s.canary());
    var blueGreen = strategy.map(s -> s.blueGreen());
    return Stream.of(canary.map(c -> c.canaryService()), canary.map(c -> c.stableService()),
            blueGreen.map(b -> b.activeService()), blueGreen.map(b -> b.previewService()))
        .flatMap(Optional::stream)
        .filter(name -> !name.isBlank())
        .distinct()
        .toList();
  }

  static Set<String> of(Rollout rollout) {
    var strategy = Optional.ofNullable(rollout.getSpec()).map(s -> s.strategy());
    var canary = strategy.map(s -> s.canary());
    var blueGreen = strategy.map(s -> s.blueGreen());
    var smi = canary.map(c -> c.trafficRouting()).map(r -> r.smi());
    return Stream.of(canary.map(c -> c.canaryService()), canary.map(c -> c.stableService()),
            blueGreen.map(b -> b.activeService()), blueGreen.map(b -> b.previewService()), smi.map(s -> s.rootService()))
        .flatMap(Optional::stream)
        .filter(Objects::nonNull)
        .filter(name -> !name.isBlank())
        .collect(Collectors.toUnmodifiableSet());
  }
}
