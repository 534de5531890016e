package dev.sluice.cli.render;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.AnalysisRunStatus;
import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.CanaryStrategy;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStrategy.BlueGreenStrategy;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What `kubectl sluice get rollout` prints: the rollout's strategy and step, its weights (canary) or
 * the hash each Service selects (blue-green), its ReplicaSets (revision, hash, role, pods) and its
 * AnalysisRuns with each metric's last measurements.
 */
public final class RolloutTree {
  /** Measurements shown per metric, newest last. */
  static final int MEASUREMENTS_SHOWN = 3;
  /** The label the controller puts on a rollout's runs: step, background, pre-promotion, post-promotion. */
  static final String ANALYSIS_TYPE = "sluice.dev/analysis-type";
  static final String BLUE_GREEN_PAUSE = "BlueGreenPause";

  private RolloutTree() {}

  public static String render(Rollout rollout, List<ReplicaSet> replicaSets, List<AnalysisRun> runs, Instant now) {
    RolloutSpec spec = rollout.getSpec();
    RolloutStatus status = rollout.getStatus();
    Lines out = new Lines();
    out.field("Name", rollout.getMetadata().getName());
    out.field("Namespace", rollout.getMetadata().getNamespace());
    out.field("Status", statusLine(rollout));
    if (status != null && status.message() != null && !status.message().isBlank()) {
      out.field("Message", status.message());
    }
    strategy(out, spec, status, now);
    images(out, replicaSets, spec, status);
    if (spec != null || status != null) {
      out.field("Replicas", "desired " + value(spec == null ? null : spec.replicas(), 1)
          + ", current " + value(status == null ? null : status.replicas(), 0)
          + ", updated " + value(status == null ? null : status.updatedReplicas(), 0)
          + ", ready " + value(status == null ? null : status.readyReplicas(), 0)
          + ", available " + value(status == null ? null : status.availableReplicas(), 0));
    }
    out.blank();
    replicaSetTree(out, replicaSets, spec, status, now);
    if (!runs.isEmpty()) {
      out.blank();
      analysisRunTree(out, runs, now);
    }
    return out.toString();
  }

  static String statusLine(Rollout rollout) {
    RolloutStatus status = rollout.getStatus();
    RolloutSpec spec = rollout.getSpec();
    String phase = status == null || status.phase() == null ? "Unknown (no status from the controller yet)" : status.phase();
    List<String> why = new ArrayList<>();
    if (status != null && Boolean.TRUE.equals(status.abort())) why.add("aborted");
    if (spec != null && Boolean.TRUE.equals(spec.paused())) why.add("paused by user");
    if (status != null && status.pauseConditions() != null) {
      status.pauseConditions().stream().filter(Objects::nonNull).map(RolloutStatus.PauseCondition::reason)
          .filter(Objects::nonNull).forEach(why::add);
    }
    if (status != null && Boolean.TRUE.equals(status.promoteFull())) why.add("promoting fully");
    Long generation = rollout.getMetadata().getGeneration();
    if (status != null && generation != null && status.observedGeneration() != null && status.observedGeneration() < generation) {
      why.add("controller has not yet seen the latest spec");
    }
    return why.isEmpty() ? phase : phase + " (" + String.join(", ", why) + ")";
  }

  private static void strategy(Lines out, RolloutSpec spec, RolloutStatus status, Instant now) {
    if (spec == null || spec.strategy() == null) return;
    if (spec.strategy().blueGreen() != null) {
      blueGreen(out, spec.strategy().blueGreen(), status, now);
      return;
    }
    CanaryStrategy canary = spec.strategy().canary();
    if (canary == null) return;
    out.field("Strategy", "Canary");
    List<CanaryStep> steps = canary.steps() == null ? List.of() : canary.steps();
    Integer index = status == null ? null : status.currentStepIndex();
    if (steps.isEmpty()) {
      out.subfield("Step", "no steps (an update goes out at once)");
    } else if (index == null) {
      out.subfield("Step", "-/" + steps.size());
    } else if (index >= steps.size()) {
      out.subfield("Step", steps.size() + "/" + steps.size() + " (all steps done)");
    } else {
      out.subfield("Step", (index + 1) + "/" + steps.size() + " " + StepText.describe(steps.get(index)));
    }
    String setWeight = currentSetWeight(steps, index);
    if (setWeight != null) out.subfield("SetWeight", setWeight);
    RolloutStatus.TrafficWeights weights = status == null || status.canary() == null ? null : status.canary().weights();
    if (weights != null) {
      List<String> parts = new ArrayList<>();
      if (weights.canary() != null) parts.add("canary " + weightText(weights.canary()));
      if (weights.stable() != null) parts.add("stable " + weightText(weights.stable()));
      out.subfield("Weights", String.join(", ", parts));
    }
    if (canary.analysis() != null) {
      out.subfield("Analysis", "background: " + StepText.templates(canary.analysis()));
    }
  }

  private static void blueGreen(Lines out, BlueGreenStrategy blueGreen, RolloutStatus status, Instant now) {
    out.field("Strategy", "BlueGreen");
    RolloutStatus.BlueGreenStatus selectors = status == null ? null : status.blueGreen();
    out.subfield("Active", service(blueGreen.activeService(), selectors == null ? null : selectors.activeSelector()));
    out.subfield("Preview", blueGreen.previewService() == null ? "no preview Service"
        : service(blueGreen.previewService(), selectors == null ? null : selectors.previewSelector()));
    out.subfield("Promotion", promotion(blueGreen, status, now));
    List<String> analyses = new ArrayList<>();
    if (blueGreen.prePromotionAnalysis() != null) {
      analyses.add("pre-promotion: " + StepText.templates(blueGreen.prePromotionAnalysis())
          + runText(selectors == null ? null : selectors.prePromotionAnalysisRunStatus()));
    }
    if (blueGreen.postPromotionAnalysis() != null) {
      analyses.add("post-promotion: " + StepText.templates(blueGreen.postPromotionAnalysis())
          + runText(selectors == null ? null : selectors.postPromotionAnalysisRunStatus()));
    }
    for (int i = 0; i < analyses.size(); i++) {
      if (i == 0) out.subfield("Analysis", analyses.get(i));
      else out.field("", analyses.get(i));
    }
  }

  private static String service(String name, String selector) {
    return name + (selector == null ? " (not pinned yet)" : " → " + selector);
  }

  private static String promotion(BlueGreenStrategy blueGreen, RolloutStatus status, Instant now) {
    if (Boolean.FALSE.equals(blueGreen.autoPromotionEnabled())) return "manual (kubectl sluice promote)";
    if (blueGreen.autoPromotionSeconds() == null) return "automatic once the preview is ready";
    String text = "automatic " + blueGreen.autoPromotionSeconds() + "s after the preview is ready";
    Instant pausedAt = pausedAt(status);
    if (pausedAt == null) return text;
    long left = Duration.between(now, pausedAt.plusSeconds(blueGreen.autoPromotionSeconds())).toSeconds();
    return text + (left > 0 ? " (in " + Ages.format(Duration.ofSeconds(left)) + ")" : " (due now)");
  }

  private static Instant pausedAt(RolloutStatus status) {
    if (status == null || status.pauseConditions() == null) return null;
    return status.pauseConditions().stream().filter(Objects::nonNull)
        .filter(c -> BLUE_GREEN_PAUSE.equals(c.reason()) && c.startTime() != null)
        .findFirst().map(c -> {
          try {
            return Instant.parse(c.startTime());
          } catch (DateTimeParseException e) {
            return null;
          }
        }).orElse(null);
  }

  private static String runText(RolloutStatus.AnalysisRunReference run) {
    if (run == null || run.name() == null) return "";
    return " (" + run.name() + " " + Objects.requireNonNullElse(run.status(), "Pending") + ")";
  }

  // the weight the steps so far asked for; Argo shows it as SetWeight next to the actual weights
  private static String currentSetWeight(List<CanaryStep> steps, Integer index) {
    if (steps.isEmpty() || index == null) return null;
    Integer weight = null;
    for (int i = 0; i < Math.min(index + 1, steps.size()); i++) {
      if (steps.get(i) != null && steps.get(i).setWeight() != null) weight = steps.get(i).setWeight();
    }
    if (index >= steps.size()) return "100";
    return weight == null ? "0" : String.valueOf(weight);
  }

  private static String weightText(RolloutStatus.WeightDestination destination) {
    return value(destination.weight(), 0) + "%" + (destination.podTemplateHash() == null ? "" : " (" + destination.podTemplateHash() + ")");
  }

  private static void images(Lines out, List<ReplicaSet> replicaSets, RolloutSpec spec, RolloutStatus status) {
    Map<String, List<String>> rolesByImage = new LinkedHashMap<>();
    for (ReplicaSet rs : byRevisionDescending(replicaSets)) {
      List<String> rsRoles = ReplicaSetRoles.of(hash(rs), spec, status);
      if (rsRoles.contains(ReplicaSetRoles.OLD) || rs.getSpec() == null || rs.getSpec().getTemplate() == null
          || rs.getSpec().getTemplate().getSpec() == null) continue;
      for (Container c : rs.getSpec().getTemplate().getSpec().getContainers()) {
        List<String> roles = rolesByImage.computeIfAbsent(c.getImage(), i -> new ArrayList<>());
        rsRoles.stream().filter(r -> !roles.contains(r)).forEach(roles::add);
      }
    }
    boolean first = true;
    for (Map.Entry<String, List<String>> e : rolesByImage.entrySet()) {
      String text = e.getKey() + " (" + String.join(", ", e.getValue()) + ")";
      if (first) out.field("Images", text);
      else out.field("", text);
      first = false;
    }
  }

  private static void replicaSetTree(Lines out, List<ReplicaSet> replicaSets, RolloutSpec spec, RolloutStatus status, Instant now) {
    if (replicaSets.isEmpty()) {
      out.line("ReplicaSets: none yet");
      return;
    }
    out.line("ReplicaSets");
    List<ReplicaSet> sorted = byRevisionDescending(replicaSets);
    List<List<String>> rows = new ArrayList<>();
    for (ReplicaSet rs : sorted) {
      rows.add(List.of(rs.getMetadata().getName(), "revision " + Objects.requireNonNullElse(revision(rs), "?"),
          String.join(",", ReplicaSetRoles.of(hash(rs), spec, status)), "hash " + Objects.requireNonNullElse(hash(rs), "-"), pods(rs), "age " + Ages.since(rs.getMetadata().getCreationTimestamp(), now)));
    }
    List<String> aligned = Columns.align(rows);
    for (int i = 0; i < aligned.size(); i++) {
      out.line((i == aligned.size() - 1 ? "└── " : "├── ") + aligned.get(i));
    }
  }

  private static String pods(ReplicaSet rs) {
    int desired = rs.getSpec() == null ? 0 : value(rs.getSpec().getReplicas(), 1);
    int current = rs.getStatus() == null ? 0 : value(rs.getStatus().getReplicas(), 0);
    int ready = rs.getStatus() == null ? 0 : value(rs.getStatus().getReadyReplicas(), 0);
    int available = rs.getStatus() == null ? 0 : value(rs.getStatus().getAvailableReplicas(), 0);
    if (desired == 0 && current == 0) return "scaled down";
    return "pods " + ready + "/" + desired + " ready, " + available + " available" + (current != desired ? ", " + current + " running" : "");
  }

  private static void analysisRunTree(Lines out, List<AnalysisRun> runs, Instant now) {
    out.line("AnalysisRuns");
    List<AnalysisRun> sorted = runs.stream()
        .sorted(Comparator.comparing((AnalysisRun r) -> Objects.requireNonNullElse(r.getMetadata().getCreationTimestamp(), "")).reversed()
            .thenComparing(r -> r.getMetadata().getName()))
        .collect(Collectors.toList());
    for (int i = 0; i < sorted.size(); i++) {
      AnalysisRun run = sorted.get(i);
      boolean lastRun = i == sorted.size() - 1;
      AnalysisRunStatus status = run.getStatus();
      String phase = status == null || status.phase() == null ? "Pending" : status.phase();
      String message = status == null || status.message() == null ? "" : "  " + status.message();
      String type = run.getMetadata().getLabels() == null ? null : run.getMetadata().getLabels().get(ANALYSIS_TYPE);
      out.line((lastRun ? "└── " : "├── ") + run.getMetadata().getName() + (type == null ? "" : " (" + type + ")") + "  " + phase
          + "  age " + Ages.since(run.getMetadata().getCreationTimestamp(), now) + message);
      String indent = lastRun ? "    " : "│   ";
      List<AnalysisRunStatus.MetricResult> results = status == null || status.metricResults() == null ? List.of() : status.metricResults();
      List<List<String>> rows = new ArrayList<>();
      for (AnalysisRunStatus.MetricResult result : results) {
        rows.add(List.of(Objects.requireNonNullElse(result.name(), "?") + (Boolean.TRUE.equals(result.dryRun()) ? " (dry run)" : ""),
            Objects.requireNonNullElse(result.phase(), "Pending"), counts(result), measurements(result)));
      }
      List<String> aligned = Columns.align(rows);
      for (int j = 0; j < aligned.size(); j++) {
        out.line(indent + (j == aligned.size() - 1 ? "└── " : "├── ") + aligned.get(j));
      }
    }
  }

  private static String counts(AnalysisRunStatus.MetricResult result) {
    List<String> parts = new ArrayList<>();
    parts.add(value(result.count(), 0) + " measured");
    if (value(result.successful(), 0) > 0) parts.add(result.successful() + " successful");
    if (value(result.failed(), 0) > 0) parts.add(result.failed() + " failed");
    if (value(result.inconclusive(), 0) > 0) parts.add(result.inconclusive() + " inconclusive");
    if (value(result.error(), 0) > 0) parts.add(result.error() + " errors");
    return String.join(", ", parts);
  }

  private static String measurements(AnalysisRunStatus.MetricResult result) {
    List<AnalysisRunStatus.Measurement> all = result.measurements() == null ? List.of() : result.measurements();
    if (all.isEmpty()) return result.message() == null ? "" : result.message();
    List<AnalysisRunStatus.Measurement> last = all.subList(Math.max(0, all.size() - MEASUREMENTS_SHOWN), all.size());
    return "last: " + last.stream().map(RolloutTree::measurement).collect(Collectors.joining(", "));
  }

  private static String measurement(AnalysisRunStatus.Measurement m) {
    String value = m.value() == null ? "-" : JudgeText.of(m.value()).orElse(m.value());
    String detail = m.phase() == null ? "" : m.phase();
    if (m.message() != null && !m.message().isBlank()) detail += (detail.isEmpty() ? "" : ": ") + m.message();
    return detail.isEmpty() ? value : value + " (" + detail + ")";
  }

  static String hash(ReplicaSet rs) {
    Map<String, String> labels = rs.getMetadata().getLabels();
    return labels == null ? null : labels.get(SluiceLabels.POD_TEMPLATE_HASH);
  }

  static String revision(ReplicaSet rs) {
    Map<String, String> annotations = rs.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(SluiceLabels.REVISION);
  }

  static List<ReplicaSet> byRevisionDescending(List<ReplicaSet> replicaSets) {
    return replicaSets.stream()
        .sorted(Comparator.comparingLong((ReplicaSet rs) -> revisionNumber(rs)).reversed()
            .thenComparing(rs -> rs.getMetadata().getName()))
        .collect(Collectors.toList());
  }

  static long revisionNumber(ReplicaSet rs) {
    try {
      return Long.parseLong(Objects.requireNonNullElse(revision(rs), "-1"));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int value(Integer value, int orElse) {
    return value == null ? orElse : value;
  }

  /** Output built line by line, with "Key:   value" fields aligned. */
  private static final class Lines {
    private static final int KEY_WIDTH = 15;
    private final StringBuilder text = new StringBuilder();

    void field(String key, String value) {
      String label = key.isEmpty() ? "" : key + ":";
      line(label + " ".repeat(Math.max(1, KEY_WIDTH - label.length())) + value);
    }

    void subfield(String key, String value) {
      field("  " + key, value);
    }

    void line(String line) {
      text.append(line.stripTrailing()).append('\n');
    }

    void blank() {
      text.append('\n');
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
