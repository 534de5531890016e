package dev.sluice.cli.lint;

import dev.sluice.api.v1alpha1.AnalysisTemplate;
import dev.sluice.api.v1alpha1.AnalysisTemplateSpec;
import dev.sluice.api.v1alpha1.ClusterAnalysisTemplate;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.validation.AnalysisTemplateValidation;
import dev.sluice.api.validation.RolloutValidation;
import dev.sluice.api.validation.SpecProblem;
import dev.sluice.cli.yaml.FieldPath;
import dev.sluice.cli.yaml.YamlDocument;
import dev.sluice.cli.yaml.YamlDocuments;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Checks a file of Sluice manifests offline: every Rollout, AnalysisTemplate and
 * ClusterAnalysisTemplate in it, every problem named with its path (and line) in its document.
 * What the YAML says is lint's own (unknown fields, wrong types, the Argo apiVersion); what it
 * means is checked by the rules the controller uses too (dev.sluice.api.validation), word for word.
 * Documents of other APIs (Services, Deployments, ...) are left alone.
 */
public final class ManifestLint {
  private static final String SLUICE = "sluice.dev/v1alpha1";

  private ManifestLint() {}

  /** A problem found in one document; {@code line} is 0 when unknown. */
  public record Finding(String document, int line, Problem problem) {
    public String format(String fileName) {
      return fileName + (line > 0 ? ":" + line : "") + ": " + document + ": " + problem;
    }
  }

  public record Report(List<String> checked, List<String> skipped, List<Finding> findings) {
    public boolean ok() {
      return findings.isEmpty();
    }
  }

  public static Report lint(String yaml) {
    List<YamlDocument> documents;
    try {
      documents = YamlDocuments.parse(yaml);
    } catch (YamlDocuments.YamlSyntaxException e) {
      return new Report(List.of(), List.of(), List.of(new Finding("file", e.line(), Problem.at(FieldPath.root(), e.getMessage()))));
    }
    List<String> checked = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    for (YamlDocument document : documents) {
      List<Problem> problems = lint(document);
      if (problems == null) {
        skipped.add(document.label());
        continue;
      }
      checked.add(document.label());
      List<Finding> inDocument = new ArrayList<>();
      for (Problem problem : problems) {
        OptionalInt line = document.lineOf(problem.path());
        inDocument.add(new Finding(document.label(), line.orElse(0), problem));
      }
      inDocument.sort(Comparator.comparingInt(Finding::line));
      findings.addAll(inDocument);
    }
    if (documents.isEmpty()) {
      findings.add(new Finding("file", 0, Problem.at(FieldPath.root(), "no YAML documents in the file")));
    }
    return new Report(List.copyOf(checked), List.copyOf(skipped), List.copyOf(findings));
  }

  /** The problems of one document, or null when it is not a Sluice document. */
  static List<Problem> lint(YamlDocument document) {
    FieldPath root = FieldPath.root();
    if (!document.content().isObject()) {
      return List.of(Problem.at(root, "a manifest must be a map with apiVersion, kind, metadata and spec"));
    }
    String apiVersion = document.apiVersion();
    String kind = document.kind();
    if (apiVersion == null || kind == null) {
      return List.of(Problem.at(apiVersion == null ? root.field("apiVersion") : root.field("kind"), "required"));
    }
    if (apiVersion.startsWith("argoproj.io/")) {
      return List.of(Problem.at(root.field("apiVersion"),
          apiVersion + " is the Argo Rollouts API; turn the file into Sluice manifests with: kubectl sluice convert -f FILE"));
    }
    if (!apiVersion.startsWith("sluice.dev/")) {
      return null;
    }
    if (!SLUICE.equals(apiVersion)) {
      return List.of(Problem.at(root.field("apiVersion"), "must be " + SLUICE + ", got " + apiVersion));
    }
    List<Problem> problems = new ArrayList<>();
    if (document.name() == null && !document.content().path("metadata").has("generateName")) {
      problems.add(Problem.at(root.field("metadata").field("name"), "required"));
    }
    switch (kind) {
      case "Rollout" -> problems.addAll(check(document, Rollout.class, r -> RolloutValidation.validate(r.getSpec())));
      case "AnalysisTemplate" -> problems.addAll(check(document, AnalysisTemplate.class, t -> template(t.getSpec())));
      case "ClusterAnalysisTemplate" -> problems.addAll(check(document, ClusterAnalysisTemplate.class, t -> template(t.getSpec())));
      default -> problems.add(Problem.at(root.field("kind"),
          "lint checks Rollout, AnalysisTemplate and ClusterAnalysisTemplate, got \"" + kind + "\""));
    }
    return problems;
  }

  /** The shared rules, then whether the conditions compile as the analysis will compile them. */
  private static List<SpecProblem> template(AnalysisTemplateSpec spec) {
    List<SpecProblem> problems = new ArrayList<>(AnalysisTemplateValidation.validate(spec));
    problems.addAll(ConditionCheck.problems(spec));
    return problems;
  }

  /** What the YAML says wrong (binding to the model), then what it means wrong (the shared rules). */
  private static <T> List<Problem> check(YamlDocument document, Class<T> type, Function<T, List<SpecProblem>> rules) {
    ModelBinder.Binding<T> binding = ModelBinder.bind(document.content(), type);
    List<Problem> problems = new ArrayList<>(binding.problems());
    if (binding.value() != null) {
      problems.addAll(withoutEchoes(rules.apply(binding.value()), binding.problems()));
    }
    return problems;
  }

  // A value the binder could not read is absent from the model, so a rule may see its parent as
  // incomplete ("set exactly one of ..., got none"): the binder's problem already says what is wrong.
  private static List<Problem> withoutEchoes(List<SpecProblem> ruleProblems, List<Problem> bindingProblems) {
    List<Problem> kept = new ArrayList<>();
    for (SpecProblem ruleProblem : ruleProblems) {
      Problem problem = Problem.of(ruleProblem);
      boolean echo = bindingProblems.stream().anyMatch(b -> problem.paths().stream().anyMatch(p -> p.contains(b.path())));
      if (!echo) kept.add(problem);
    }
    return kept;
  }
}
