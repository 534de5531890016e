package dev.sluice.cli.lint;

import dev.sluice.analysis.AnalysisSpecException;
import dev.sluice.analysis.condition.ConditionEvaluator;
import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.AnalysisTemplateSpec;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.validation.SpecProblem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles a template's success and failure conditions with the compiler the analysis uses, so
 * lint refuses a condition that would fail the run (and abort the rollout) at run time. A condition
 * with an {@code {{args.x}}} placeholder is compiled with the template's value for it, and left for
 * the run when the template gives none.
 */
final class ConditionCheck {
  private static final Pattern ARG_REFERENCE = Pattern.compile("\\{\\{\\s*args\\.([A-Za-z0-9_.-]+)\\s*}}");
  private static final ConditionEvaluator COMPILER = new ConditionEvaluator();

  private ConditionCheck() {}

  static List<SpecProblem> problems(AnalysisTemplateSpec spec) {
    List<SpecProblem> problems = new ArrayList<>();
    if (spec == null || spec.metrics() == null) {
      return problems;
    }
    Map<String, String> values = new HashMap<>();
    if (spec.args() != null) {
      spec.args().stream().filter(a -> a != null && a.name() != null && a.value() != null && a.valueFrom() == null)
          .forEach((AnalysisArgument a) -> values.put(a.name(), a.value()));
    }
    for (int i = 0; i < spec.metrics().size(); i++) {
      Metric metric = spec.metrics().get(i);
      if (metric == null) continue;
      String path = "spec.metrics[" + i + "]";
      check(problems, path, "successCondition", metric.successCondition(), values);
      check(problems, path, "failureCondition", metric.failureCondition(), values);
    }
    return problems;
  }

  private static void check(List<SpecProblem> problems, String path, String field, String condition, Map<String, String> values) {
    if (condition == null || condition.isBlank()) return;
    Optional<String> resolved = substitute(condition, values);
    if (resolved.isEmpty()) return;
    try {
      COMPILER.compile(field.equals("successCondition") ? resolved.get() : null, field.equals("failureCondition") ? resolved.get() : null);
    } catch (AnalysisSpecException e) {
      // "successCondition "x" does not compile: at 1:10: ..." without the field the path already names
      String message = e.getMessage().startsWith(field + " ") ? e.getMessage().substring(field.length() + 1) : e.getMessage();
      problems.add(new SpecProblem(path + "." + field, message));
    }
  }

  private static Optional<String> substitute(String text, Map<String, String> values) {
    Matcher m = ARG_REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) return Optional.empty();
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return Optional.of(out.toString());
  }
}
