package dev.sluice.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.analysis.AnalysisSpecException;
import dev.sluice.analysis.PreparedRun;
import dev.sluice.analysis.provider.HttpClients;
import dev.sluice.analysis.provider.ProviderAddressPolicy;
import dev.sluice.analysis.replay.AnalysisReplay;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import dev.sluice.api.v1alpha1.AnalysisTemplateSpec;
import dev.sluice.api.validation.AnalysisTemplateValidation;
import dev.sluice.api.validation.SpecProblem;
import dev.sluice.cli.CliException;
import dev.sluice.cli.yaml.YamlDocument;
import dev.sluice.cli.yaml.YamlDocuments;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "replay", description = {
    "Run an AnalysisTemplate's metrics against Prometheus' stored data, as if an AnalysisRun had",
    "started at --from: every measurement at the moment the controller would have taken it, with its",
    "value and phase, then the run's verdict. Only prometheus and judge metrics; reads no Secrets and",
    "writes nothing. Exits 0 once the replay ran, whatever the verdict."})
public final class AnalysisReplayCommand extends BaseCommand implements Callable<Integer> {
  private static final Set<String> KINDS = Set.of("AnalysisTemplate", "ClusterAnalysisTemplate");
  private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
      description = "The AnalysisTemplate or ClusterAnalysisTemplate; - for standard input")
  String file;

  @Option(names = "--arg", paramLabel = "NAME=VALUE", description = "A value for one of the template's arguments (repeat for more)")
  List<String> args = List.of();

  @Option(names = "--from", required = true, paramLabel = "TIME", description = "When the run starts, RFC 3339, e.g. 2026-01-01T10:00:00Z")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "When to stop if the run has not ended (default: now)")
  String to;

  @Option(names = "--prometheus", paramLabel = "URL", description = "Ask this Prometheus instead of the addresses in the template")
  String prometheus;

  @Override
  public Integer call() {
    Instant start = time("--from", from);
    Instant end = to == null ? root().clock().instant() : time("--to", to);
    if (end.isBefore(start)) {
      throw new CliException("--to (" + end + ") is before --from (" + start + ")", 2);
    }
    AnalysisTemplateSpec template = template(file);
    PreparedRun run;
    try {
      run = AnalysisReplay.prepare(template, values(), prometheus);
    } catch (AnalysisSpecException e) {
      throw new CliException(e.getMessage());
    }
    // the controller's operator ranges are not this user's, but link-local stays denied: a template
    // written by someone else, replayed on a cloud machine (a CI job), must not read its metadata service
    AnalysisReplay.Result result = new AnalysisReplay(HttpClients.shared(), ProviderAddressPolicy.defaults()).replay(run, start, end);
    for (AnalysisReplay.Step step : result.steps()) {
      Measurement m = step.measurement();
      out().println(step.metric() + " #" + step.number() + " at " + step.at() + ": " + m.phase()
          + (m.value() == null ? "" : " " + m.value()) + (m.message() == null ? "" : " (" + m.message() + ")"));
    }
    String phase = result.status().phase();
    String message = result.status().message();
    out().println("verdict: " + phase + (message == null || message.isBlank() ? "" : ": " + message)
        + ("Running".equals(phase) ? " (--to reached before the run ended)" : ""));
    return 0;
  }

  private Map<String, String> values() {
    Map<String, String> values = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new CliException("--arg \"" + arg + "\": expected NAME=VALUE", 2);
      }
      values.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return values;
  }

  private AnalysisTemplateSpec template(String file) {
    String name = "-".equals(file) ? "<stdin>" : file;
    List<YamlDocument> templates;
    try {
      templates = YamlDocuments.parse(ManifestFiles.read(file, System.in)).stream().filter(d -> KINDS.contains(d.kind())).toList();
    } catch (YamlDocuments.YamlSyntaxException e) {
      throw new CliException(name + ":" + e.line() + ": " + e.getMessage());
    }
    if (templates.size() != 1) {
      throw new CliException(name + " holds " + templates.size() + " AnalysisTemplates or ClusterAnalysisTemplates; replay needs exactly one"
          + (templates.isEmpty() ? "" : " (" + String.join(", ", templates.stream().map(YamlDocument::name).toList()) + ")"));
    }
    AnalysisTemplateSpec spec;
    try {
      spec = JSON.treeToValue(templates.get(0).content().path("spec"), AnalysisTemplateSpec.class);
    } catch (JsonProcessingException e) {
      throw new CliException(name + ": the template does not read as an AnalysisTemplate (run lint): " + e.getOriginalMessage());
    }
    List<SpecProblem> problems = AnalysisTemplateValidation.validate(spec);
    if (!problems.isEmpty()) {
      throw new CliException(name + ": " + problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more; run lint)" : ""));
    }
    return spec;
  }

  private static Instant time(String flag, String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new CliException(flag + " \"" + text + "\" is not an RFC 3339 time such as 2026-01-01T10:00:00Z", 2);
    }
  }
}
