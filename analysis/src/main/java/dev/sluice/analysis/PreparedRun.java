package dev.sluice.analysis;

import dev.sluice.analysis.args.Redactor;
import dev.sluice.analysis.run.MetricSettings;
import java.util.List;

/**
 * An AnalysisRun's spec, checked and ready: its metrics in order, whether it is being terminated,
 * and the redactor that masks its secret argument values.
 */
public record PreparedRun(List<PreparedMetric> metrics, boolean terminate, Redactor redactor) {

  public List<MetricSettings> settings() {
    return metrics.stream().map(PreparedMetric::settings).toList();
  }

  public PreparedMetric metric(String name) {
    return metrics.stream().filter(m -> m.settings().name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no metric \"" + name + "\""));
  }
}
