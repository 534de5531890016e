package dev.sluice.api.validation;

import dev.sluice.api.v1alpha1.AnalysisTemplateSpec;
import dev.sluice.api.v1alpha1.CanaryStrategy;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStrategy.BlueGreenStrategy;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which Argo Rollouts fields Sluice supports, in one place: the controller's validation and lint
 * refuse the fields Sluice has in its API but does not act on yet ({@link #NOT_YET}, so none is
 * accepted and ignored), {@code kubectl sluice convert} refuses those and the Argo fields Sluice has
 * no field for ({@link #ABSENT}), and docs/argo-compatibility.md is generated from {@link #table()}.
 */
public final class ArgoCompatibility {
  private ArgoCompatibility() {}

  /** A field Sluice's API has but its controller does not act on yet. */
  public record NotYet(String path, String message, Function<RolloutSpec, Object> value) {
    boolean presentIn(RolloutSpec spec) {
      return spec != null && value.apply(spec) != null;
    }
  }

  /** An Argo Rollouts field with no Sluice field; {@code path} uses {@code []} for any list index. */
  public record Absent(String path, String what) {}

  /** A row of the compatibility table. */
  public record Row(String path, boolean supported, String note) {}

  /** In the order validation reports them (see {@link RolloutValidation}). */
  public static final List<NotYet> NOT_YET = List.of(
      new NotYet("spec.strategy.canary.antiAffinity",
          "not supported yet (the canary's pods would get no anti-affinity to the stable's); remove it",
          s -> canary(s).map(CanaryStrategy::antiAffinity).orElse(null)),
      new NotYet("spec.strategy.canary.canaryMetadata",
          "not supported yet (the canary's pods would not get these labels and annotations); remove it",
          s -> canary(s).map(CanaryStrategy::canaryMetadata).orElse(null)),
      new NotYet("spec.strategy.canary.stableMetadata",
          "not supported yet (the stable's pods would not get these labels and annotations); remove it",
          s -> canary(s).map(CanaryStrategy::stableMetadata).orElse(null)),
      new NotYet("spec.strategy.blueGreen.antiAffinity",
          "not supported yet (the preview's pods would get no anti-affinity to the active's); remove it",
          s -> blueGreen(s).map(BlueGreenStrategy::antiAffinity).orElse(null)),
      new NotYet("spec.strategy.blueGreen.activeMetadata",
          "not supported yet (the active pods would not get these labels and annotations); remove it",
          s -> blueGreen(s).map(BlueGreenStrategy::activeMetadata).orElse(null)),
      new NotYet("spec.strategy.blueGreen.previewMetadata",
          "not supported yet (the preview pods would not get these labels and annotations); remove it",
          s -> blueGreen(s).map(BlueGreenStrategy::previewMetadata).orElse(null)));

  /** Where a supported field differs from Argo Rollouts in a way a user may notice, by path. */
  static final Map<String, String> DIFFERENCES = Map.of(
      "spec.workloadRef", "kind Deployment (apps/v1) only, where Argo also takes a ReplicaSet or PodTemplate; spec.selector "
          + "stays required (Argo takes the Deployment's when it is omitted); status.workloadObservedGeneration is not written",
      "spec.workloadRef.scaleDown", "the Deployment is never scaled up again (Argo's progressively scales it back up while "
          + "the rollout's available pods drop before it is first Healthy)");

  public static final List<Absent> ABSENT = List.of(
      new Absent("kind: Experiment", "no Experiment kind"),
      new Absent("spec.strategy.canary.steps[].experiment", "no experiment step"),
      new Absent("spec.strategy.canary.steps[].plugin", "no step plugins"),
      new Absent("spec.strategy.canary.pingPong", "no ping-pong services (ALB)"),
      new Absent("spec.strategy.canary.minPodsPerReplicaSet", "no minimum pods per ReplicaSet"),
      new Absent("spec.strategy.canary.trafficRouting.alb", "no AWS ALB router"),
      new Absent("spec.strategy.canary.trafficRouting.ambassador", "no Ambassador router"),
      new Absent("spec.strategy.canary.trafficRouting.appMesh", "no AWS App Mesh router"),
      new Absent("spec.strategy.canary.trafficRouting.apisix", "no Apache APISIX router"),
      new Absent("spec.strategy.canary.trafficRouting.traefik", "no Traefik router"),
      new Absent("spec.strategy.canary.trafficRouting.plugins", "no router plugins (argoproj-labs/gatewayAPI converts to the built-in gatewayAPI)"),
      new Absent("spec.analysis", "no run history limits (it keeps 5 successful and 5 unsuccessful AnalysisRuns)"),
      new Absent("metrics[].provider.datadog", "no Datadog provider"),
      new Absent("metrics[].provider.newRelic", "no New Relic provider"),
      new Absent("metrics[].provider.wavefront", "no Wavefront provider"),
      new Absent("metrics[].provider.kayenta", "no Kayenta provider (see the judge provider)"),
      new Absent("metrics[].provider.cloudWatch", "no CloudWatch provider"),
      new Absent("metrics[].provider.graphite", "no Graphite provider"),
      new Absent("metrics[].provider.influxdb", "no InfluxDB provider"),
      new Absent("metrics[].provider.skywalking", "no SkyWalking provider"),
      new Absent("metrics[].provider.plugin", "no metric provider plugins"));

  /** The fields present in {@code spec} that Sluice does not act on yet, each with its path. */
  public static List<SpecProblem> notYet(RolloutSpec spec) {
    return NOT_YET.stream().filter(field -> field.presentIn(spec)).map(field -> new SpecProblem(field.path(), field.message())).toList();
  }

  /**
   * Shapes Argo Rollouts accepts that Sluice refuses though it has every field involved, each with
   * its path: a workloadRef without spec.selector (Argo takes the Deployment's).
   */
  public static List<SpecProblem> refusedShapes(RolloutSpec spec) {
    if (spec != null && spec.workloadRef() != null && spec.selector() == null) {
      return List.of(new SpecProblem("spec.selector", "required with spec.workloadRef in Sluice (Argo Rollouts takes the "
          + "Deployment's when it is omitted); copy the spec.selector of Deployment \"" + spec.workloadRef().name() + "\""));
    }
    return List.of();
  }

  /** The problems of the fields present in {@code spec} that Sluice does not act on yet. */
  static void notYet(Problems problems, RolloutSpec spec) {
    for (NotYet field : NOT_YET) {
      if (field.presentIn(spec)) {
        problems.add(field.path(), field.message());
      }
    }
  }

  private static Optional<CanaryStrategy> canary(RolloutSpec spec) {
    return Optional.ofNullable(spec.strategy()).map(s -> s.canary());
  }

  private static Optional<BlueGreenStrategy> blueGreen(RolloutSpec spec) {
    return Optional.ofNullable(spec.strategy()).map(s -> s.blueGreen());
  }

  /**
   * Every field of Sluice's Rollout and AnalysisTemplate specs (down to the Kubernetes types they
   * embed), supported unless Sluice does not act on it yet, then the Argo fields it has no field for.
   */
  public static List<Row> table() {
    List<Row> rows = new ArrayList<>();
    fields("spec", RolloutSpec.class, rows, "Rollout ");
    fields("spec", AnalysisTemplateSpec.class, rows, "AnalysisTemplate ");
    for (Absent absent : ABSENT) {
      rows.add(new Row(absent.path(), false, "Sluice has " + absent.what()));
    }
    return rows;
  }

  /** Every field supported so far came with the first release; a field that lands later names its own. */
  static final String FIRST_RELEASE = "0.1.0";

  /** docs/argo-compatibility.md: the table, generated from this class (a test fails when the file is stale). */
  public static String markdown() {
    StringBuilder out = new StringBuilder("""
        # Argo Rollouts compatibility

        Generated from `dev.sluice.api.validation.ArgoCompatibility`, the data `kubectl sluice convert`,
        `kubectl sluice lint` and the controller's validation use; do not edit by hand (regenerate with
        `mvn -pl api -am test -Dtest=ArgoCompatibilityTableTest -Dsurefire.failIfNoSpecifiedTests=false -Dsluice.updateDocs=true`).

        **supported**: Sluice acts on the field as Argo Rollouts does. **refused**: `convert` refuses a
        manifest that sets it (one line per path, non-zero exit), `lint` reports it, and the controller
        marks such a Rollout `InvalidSpec`; no field is accepted and ignored. Labels and annotations
        under `argoproj.io` move to `sluice.dev`.

        | field | status | since | note |
        |---|---|---|---|
        """);
    for (Row row : table()) {
      out.append("| `").append(row.path()).append("` | ").append(row.supported() ? "supported" : "refused").append(" | ")
          .append(row.supported() ? FIRST_RELEASE : "").append(" | ").append(row.note().replace("|", "\\|")).append(" |\n");
    }
    return out.toString();
  }

  private static void fields(String path, Class<?> type, List<Row> rows, String kind) {
    for (RecordComponent component : type.getRecordComponents()) {
      String at = path + "." + component.getName();
      Optional<NotYet> notYet = NOT_YET.stream().filter(n -> n.path().equals(at)).findFirst();
      rows.add(new Row(kind + at, notYet.isEmpty(), notYet.map(NotYet::message)
          .orElse(kind.startsWith("Rollout") ? DIFFERENCES.getOrDefault(at, "") : "")));
      if (notYet.isPresent()) {
        continue;
      }
      Class<?> element = elementType(component);
      if (element.isRecord()) {
        fields(at + (element == component.getType() ? "" : "[]"), element, rows, kind);
      }
    }
  }

  private static Class<?> elementType(RecordComponent component) {
    Type generic = component.getGenericType();
    if (List.class.isAssignableFrom(component.getType()) && generic instanceof ParameterizedType p
        && p.getActualTypeArguments()[0] instanceof Class<?> c) {
      return c;
    }
    return component.getType();
  }
}
