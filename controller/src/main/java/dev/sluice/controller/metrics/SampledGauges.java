package dev.sluice.controller.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shows a set of {@link GaugeSample}s in a Micrometer registry: a series appears with its first
 * sample, follows later samples, and is removed when a set no longer has it (a deleted rollout).
 * Series that stay are not re-registered, so a scrape at thousands of rollouts costs no meter churn.
 */
final class SampledGauges {
  private record Series(SluiceGauge gauge, List<String> labelValues) {}

  private final Map<SluiceGauge, MultiGauge> gauges = new EnumMap<>(SluiceGauge.class);
  private final Map<Series, Double> values = new ConcurrentHashMap<>();

  SampledGauges(MeterRegistry registry) {
    for (SluiceGauge gauge : SluiceGauge.values()) {
      gauges.put(gauge, MultiGauge.builder(gauge.meterName()).description(gauge.help()).register(registry));
    }
  }

  synchronized void show(Collection<GaugeSample> samples) {
    Map<Series, Double> next = new HashMap<>();
    for (GaugeSample s : samples) {
      next.put(new Series(s.gauge(), s.labelValues()), s.value());
    }
    values.keySet().retainAll(next.keySet());
    values.putAll(next);

    Map<SluiceGauge, List<MultiGauge.Row<?>>> rows = new EnumMap<>(SluiceGauge.class);
    for (SluiceGauge gauge : SluiceGauge.values()) {
      rows.put(gauge, new ArrayList<>());
    }
    for (Series series : next.keySet()) {
      // the row reads the current value on every scrape; a series that was already shown keeps its meter
      rows.get(series.gauge()).add(MultiGauge.Row.of(tags(series), () -> values.get(series)));
    }
    rows.forEach((gauge, r) -> gauges.get(gauge).register(r, false));
  }

  private static Tags tags(Series series) {
    List<Tag> tags = new ArrayList<>();
    List<String> keys = series.gauge().labelKeys();
    for (int i = 0; i < keys.size(); i++) {
      tags.add(Tag.of(keys.get(i), series.labelValues().get(i)));
    }
    return Tags.of(tags);
  }
}
