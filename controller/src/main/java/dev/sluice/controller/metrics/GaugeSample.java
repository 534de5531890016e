package dev.sluice.controller.metrics;

import java.util.List;

/** One value of one gauge series: label values in the order of {@link SluiceGauge#labelKeys()}. */
public record GaugeSample(SluiceGauge gauge, List<String> labelValues, double value) {
  public GaugeSample {
    labelValues = List.copyOf(labelValues);
    if (labelValues.size() != gauge.labelKeys().size()) {
      throw new IllegalArgumentException(gauge + " takes labels " + gauge.labelKeys() + ", got " + labelValues);
    }
  }

  static GaugeSample of(SluiceGauge gauge, double value, String... labelValues) {
    return new GaugeSample(gauge, List.of(labelValues), value);
  }

  public String label(String key) {
    int i = gauge.labelKeys().indexOf(key);
    return i < 0 ? null : labelValues.get(i);
  }
}
