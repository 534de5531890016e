package dev.sluice.controller.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.analysis.args.ArgumentContext;
import dev.sluice.analysis.provider.AnalysisJobs;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import dev.sluice.controller.plan.Action.CreateAnalysisRun;
import dev.sluice.controller.plan.Observed.ObservedAnalysisRun;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The AnalysisRuns of the current attempt at the update, and new ones to create.
 *
 * <p>A run belongs to the current attempt while it analyses the desired pod template and has not
 * been terminated: whenever an attempt ends (abort, completion, promote --full, a new template,
 * steps started over) the planner terminates every run it no longer needs, completed ones included,
 * so a retry never mistakes the last attempt's Failed run for its own. A new run takes the Argo
 * Rollouts name ({@code <rollout>-<hash>-<revision>} in the background, {@code ...-<step index>} for
 * a step, {@code ...-pre} and {@code ...-post} for blue-green's pre- and post-promotion analysis),
 * with {@code .1}, {@code .2} ... appended when an earlier attempt's run holds the name.
 */
public final class AttemptRuns {
  static final String PENDING = "Pending";
  // only to read fieldRef arguments out of the rollout: deterministic, no I/O
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * A run to create: what status says about it until it is observed, and its creation.
   *
   * @param effects the creation (the rollout needs the run)
   */
  public record Created(AnalysisRunReference reference, Effects effects) {}

  private final Context ctx;
  private final RolloutState state;
  /** Observed runs done with earlier in this plan: none of them is the current one. */
  private final Set<String> retired;

  /** @param retired observed runs done with earlier in this plan ({@link Effects#runsRetired}) */
  public AttemptRuns(Context ctx, RolloutState state, Set<String> retired) {
    this.ctx = ctx;
    this.state = state;
    this.retired = Set.copyOf(retired);
  }

  Optional<ObservedAnalysisRun> gated(GatedRun gate) {
    return current(gate::matches, baseName() + gate.suffix(), state.runs().get(gate.slot()));
  }

  public Optional<ObservedAnalysisRun> background() {
    return current(ObservedAnalysisRun::background, baseName(), state.runs().background());
  }

  /**
   * The newest run of this kind that belongs to the current attempt. None while status names a run
   * of this analysis that is not observed yet: it was just created, and runs observed are older.
   */
  private Optional<ObservedAnalysisRun> current(Predicate<ObservedAnalysisRun> kind, String base, AnalysisRunReference named) {
    if (state.attemptRestarted() || awaited(base, named).isPresent()) {
      return Optional.empty();
    }
    return ctx.observed().analysisRuns().stream()
        .filter(kind)
        .filter(run -> !run.terminate() && !run.deleting() && !retired.contains(run.name()))
        .filter(run -> ctx.desiredHash().equals(run.podTemplateHash()))
        .max(Comparator.comparing(ObservedAnalysisRun::created).thenComparing(ObservedAnalysisRun::name));
  }

  /** The run of this analysis status names, when it is not in the cache yet. */
  private Optional<String> awaited(String base, AnalysisRunReference named) {
    if (named == null || !(named.name().equals(base) || named.name().matches(Pattern.quote(base) + "\\.\\d+"))) {
      return Optional.empty();
    }
    boolean observed = ctx.observed().analysisRuns().stream().anyMatch(run -> run.name().equals(named.name()));
    return observed ? Optional.empty() : Optional.of(named.name());
  }

  String gatedRunName(GatedRun gate) {
    String base = baseName() + gate.suffix();
    return awaited(base, state.runs().get(gate.slot())).orElseGet(() -> freeName(base));
  }

  public String backgroundRunName() {
    return awaited(baseName(), state.runs().background()).orElseGet(() -> freeName(baseName()));
  }

  /** Plans the run's creation, with what status should say about it until it is observed. */
  public Created create(String name, RolloutAnalysis analysis, Map<String, String> ownLabels) {
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    if (analysis.analysisRunMetadata() != null) {
      putAll(labels, analysis.analysisRunMetadata().labels());
      putAll(annotations, analysis.analysisRunMetadata().annotations());
    }
    labels.put(RolloutAnalysisLabels.ROLLOUT, AnalysisJobs.runLabel(ctx.rolloutName()));
    labels.put(RolloutAnalysisLabels.POD_TEMPLATE_HASH, ctx.desiredHash());
    labels.putAll(ownLabels);
    Effects creation = Effects.createRun(new CreateAnalysisRun(name, Map.copyOf(labels), Map.copyOf(annotations),
        AnalysisRunSpecs.build(analysis, ctx.observed().templates(), argumentContext())));
    return new Created(new AnalysisRunReference(name, PENDING, null), creation);
  }

  private ArgumentContext argumentContext() {
    JsonNode rollout = JSON.valueToTree(ctx.observed().rollout());
    return new ArgumentContext(rollout, state.stableRS(), ctx.desiredHash());
  }

  private String baseName() {
    return ctx.rolloutName() + "-" + ctx.desiredHash() + "-" + ctx.desiredRevision();
  }

  /** The base name, or with the first collision counter no run of this rollout holds. */
  private String freeName(String base) {
    Set<String> taken = ctx.observed().analysisRuns().stream().map(ObservedAnalysisRun::name).collect(Collectors.toSet());
    String name = base;
    for (int n = 1; taken.contains(name); n++) {
      name = base + "." + n;
    }
    return name;
  }

  private static void putAll(Map<String, String> into, Map<String, String> from) {
    if (from != null) {
      into.putAll(from);
    }
  }
}
