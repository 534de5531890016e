package dev.sluice.analysis.run;

import dev.sluice.analysis.AnalysisPhase;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kayenta's canary score for a run with several judge metrics: 100 × the share of them that
 * passed (Successful) among those that reached a verdict on the canary (Successful or Failed; an
 * Inconclusive or Error metric judged nothing and is left out, as Kayenta leaves out metrics without
 * data). All count alike, there being no weights in a metric. It is told, not acted on: the run's
 * phase stays Argo Rollouts' worst metric, so one failed judge metric fails the run whatever the
 * score — Kayenta's pass/marginal thresholds have no place in that model.
 */
final class JudgeScore {
  private JudgeScore() {}

  /** "judge score 67/100: 2 of 3 judge metrics passed", once the run ended, when it has two or more judge metrics. */
  static Optional<String> describe(List<MetricSettings> metrics, Map<String, MetricTally> tallies) {
    List<MetricTally> judges = metrics.stream().filter(m -> m.judge() && !m.dryRun()).map(m -> tallies.get(m.name()))
        .toList();
    if (judges.size() < 2 || judges.stream().anyMatch(t -> !t.phase.completed())) {
      return Optional.empty();
    }
    long passed = judges.stream().filter(t -> t.phase == AnalysisPhase.Successful).count();
    long judged = passed + judges.stream().filter(t -> t.phase == AnalysisPhase.Failed).count();
    long without = judges.size() - judged;
    String left = without == 0 ? "" : "; " + without + " without a verdict (Inconclusive or Error) not counted";
    if (judged == 0) {
      return Optional.of("no judge score: none of the " + judges.size() + " judge metrics reached a verdict");
    }
    return Optional.of("judge score %d/100: %d of %d judge metrics passed%s".formatted(
        Math.round(100.0 * passed / judged), passed, judged, left));
  }
}
