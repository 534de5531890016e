package dev.sluice.api.v1alpha1;

import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Max;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.util.List;

/** Exactly one provider per metric. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricProvider(Prometheus prometheus, Web web, Job job, Judge judge) {
  /** The longest a provider may wait for an answer: Prometheus' own default query timeout. */
  public static final int MAX_TIMEOUT_SECONDS = 120;

  /** One of the providers other than judge. */
  public MetricProvider(Prometheus prometheus, Web web, Job job) {
    this(prometheus, web, job, null);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Prometheus(
      String address,
      String query,
      @Min(1) @Max(MAX_TIMEOUT_SECONDS) @JsonPropertyDescription("Seconds, 1 to 120; default 30") Integer timeout,
      Boolean insecure,
      List<Header> headers,
      Authentication authentication) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Authentication(BearerAuth bearer, BasicAuth basic) {}

  public record BearerAuth(AnalysisArgument.SecretKeyRef secretKeyRef) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BasicAuth(String username, AnalysisArgument.SecretKeyRef passwordSecretKeyRef) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Web(
      String url,
      @JsonPropertyDescription("GET (default), POST, PUT") String method,
      List<Header> headers,
      String body,
      @JsonPropertyDescription("JSONPath of the value, e.g. {$.data.ok}") String jsonPath,
      @Min(1) @Max(MAX_TIMEOUT_SECONDS) @JsonPropertyDescription("Seconds, 1 to 120; default 10") Integer timeoutSeconds,
      Boolean insecure,
      @JsonPropertyDescription("Follow HTTP redirects (default false); the metric's headers go only to its own scheme, host and port")
      Boolean followRedirects) {}

  public record Header(String key, String value) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Job(ObjectMeta metadata, JobSpec spec) {}

  /**
   * (sluice) Compares the canary's samples with the baseline's since the run started. The value is
   * {@code {verdict, canary{n, mean}, baseline{n, mean}, effect, pValue|evidence}}.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Judge(
      @JsonPropertyDescription("Prometheus to run the range queries against") JudgePrometheus prometheus,
      @JsonPropertyDescription("PromQL giving the canary's series, e.g. filtered on its pod-template-hash") String canaryQuery,
      @JsonPropertyDescription("PromQL giving the baseline's series (usually the stable's)") String baselineQuery,
      @JsonPropertyDescription("Which change is bad: increase (default), decrease or either") String direction,
      @JsonPropertyDescription("Relative change still acceptable, e.g. 0.1 = 10%; default 0") Double tolerance,
      @JsonPropertyDescription("sequential (default; anytime-valid, fails early) or mann-whitney (fixed horizon)") String method,
      @JsonPropertyDescription("Bound on the chance of failing an equal canary over the whole run; default 0.01") Double alpha,
      @JsonPropertyDescription("Resolution of the range queries, e.g. 10s (the default); at least 1s") String sampleStep) {}

  /** Where the judge reads samples: as the prometheus provider, without a query of its own. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record JudgePrometheus(
      String address,
      @JsonPropertyDescription("Seconds; default 30") Integer timeout,
      List<Header> headers,
      Authentication authentication) {}
}
