package dev.sluice.api.validation;

import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStrategy;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * The rules a Rollout spec must follow, shared by the controller (which refuses a spec with any
 * problem, showing the first) and {@code kubectl sluice lint} (which shows them all). Pure: it
 * needs nothing but the spec; whether referenced objects exist is for the caller to check.
 *
 * <p>Problems come in a stable order: the strategy first (every strategy rule depends on it), then
 * the spec's fields from top to bottom, then the strategy's (canary or blue-green).
 */
public final class RolloutValidation {
  private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  private RolloutValidation() {}

  public static List<SpecProblem> validate(RolloutSpec spec) {
    Problems problems = new Problems();
    if (spec == null) {
      problems.add("spec", "required");
      return problems.list();
    }
    strategy(problems, spec.strategy());
    problems.atLeast("spec.replicas", spec.replicas(), 0);
    ArgoCompatibility.notYet(problems, spec);
    selectorAndTemplate(problems, spec);
    problems.atLeast("spec.minReadySeconds", spec.minReadySeconds(), 0);
    problems.atLeast("spec.revisionHistoryLimit", spec.revisionHistoryLimit(), 0);
    problems.atLeast("spec.progressDeadlineSeconds", spec.progressDeadlineSeconds(), 1);
    restartAt(problems, spec.restartAt());
    if (exactlyOneStrategy(spec.strategy())) {
      if (spec.strategy().canary() != null) {
        CanaryRules.check(problems, spec.strategy().canary());
      } else {
        BlueGreenRules.check(problems, spec.strategy().blueGreen());
      }
    }
    return problems.list();
  }

  private static boolean exactlyOneStrategy(RolloutStrategy strategy) {
    return strategy != null && (strategy.canary() == null) != (strategy.blueGreen() == null);
  }

  private static void strategy(Problems problems, RolloutStrategy strategy) {
    if (strategy == null || (strategy.canary() == null && strategy.blueGreen() == null)) {
      problems.add("spec.strategy", "set exactly one of canary and blueGreen, got neither");
    } else if (strategy.canary() != null && strategy.blueGreen() != null) {
      problems.add("spec.strategy", "set exactly one of canary and blueGreen, got both");
    }
  }

  private static void selectorAndTemplate(Problems problems, RolloutSpec spec) {
    boolean selectorUsable = selector(problems, spec.selector());
    if (spec.workloadRef() != null) {
      // the template is the Deployment's: whether it exists and fits the selector is the controller's to see
      workloadRef(problems, spec.workloadRef());
      if (spec.template() != null) {
        problems.add("spec.template", "must not be set with spec.workloadRef (the pod template is the Deployment's); remove one of them");
      }
      return;
    }
    if (spec.template() == null) {
      problems.add("spec.template", "required (or spec.workloadRef)");
      return;
    }
    var labels = spec.template().getMetadata() == null ? null : spec.template().getMetadata().getLabels();
    if (selectorUsable && !LabelSelectors.matches(spec.selector(), labels)) {
      problems.add("spec.selector", "does not match spec.template.metadata.labels");
    }
    containers(problems, spec.template().getSpec());
  }

  private static void workloadRef(Problems problems, RolloutSpec.WorkloadRef ref) {
    if (!"apps/v1".equals(ref.apiVersion())) {
      problems.add("spec.workloadRef.apiVersion", "must be apps/v1, got " + quoted(ref.apiVersion()));
    }
    if (!"Deployment".equals(ref.kind())) {
      problems.add("spec.workloadRef.kind", "must be Deployment, got " + quoted(ref.kind()));
    }
    problems.required("spec.workloadRef.name", ref.name());
    if (ref.scaleDown() != null && !RolloutSpec.WorkloadRef.SCALE_DOWN.contains(ref.scaleDown())) {
      problems.add("spec.workloadRef.scaleDown", "must be one of never, onsuccess, progressively, got " + quoted(ref.scaleDown()));
    }
  }

  private static String quoted(String value) {
    return value == null ? "nothing" : "\"" + value + "\"";
  }

  /** @return whether the selector can be matched against the template's labels */
  private static boolean selector(Problems problems, LabelSelector selector) {
    if (selector == null) {
      problems.add("spec.selector", "required");
      return false;
    }
    if (LabelSelectors.isEmpty(selector)) {
      problems.add("spec.selector", "must not be empty (it would select every pod in the namespace)");
      return false;
    }
    List<LabelSelectorRequirement> expressions = LabelSelectors.expressions(selector);
    boolean usable = true;
    for (int i = 0; i < expressions.size(); i++) {
      String operator = expressions.get(i).getOperator();
      if (!OPERATORS.contains(operator)) {
        problems.add("spec.selector.matchExpressions[" + i + "].operator",
            "must be one of In, NotIn, Exists, DoesNotExist, got " + operator);
        usable = false;
      }
    }
    return usable;
  }

  private static void containers(Problems problems, PodSpec pod) {
    String path = "spec.template.spec.containers";
    List<Container> containers = pod == null || pod.getContainers() == null ? List.of() : pod.getContainers();
    if (containers.isEmpty()) {
      problems.add(path, "at least one container is required");
    }
    for (int i = 0; i < containers.size(); i++) {
      Container container = containers.get(i);
      problems.required(path + "[" + i + "].name", container == null ? null : container.getName());
      problems.required(path + "[" + i + "].image", container == null ? null : container.getImage());
    }
  }

  private static void restartAt(Problems problems, String restartAt) {
    if (restartAt == null) {
      return;
    }
    try {
      int year = OffsetDateTime.parse(restartAt).getYear();
      if (year < 1 || year > 9999) {
        problems.add("spec.restartAt", "must be an RFC 3339 time with a four-digit year, got \"" + restartAt + "\"");
      }
    } catch (DateTimeParseException e) {
      problems.add("spec.restartAt", "must be an RFC 3339 time such as 2024-05-01T10:00:00Z, got \"" + restartAt + "\"");
    }
  }
}
