package dev.sluice.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.util.List;

/** Exactly one provider per metric. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricProvider(Prometheus prometheus, Web web, Job job) {
  /** The longest a provider may wait for an answer: Prometheus' own default query timeout. */
  public static final int MAX_TIMEOUT_SECONDS = 120;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Prometheus(
      String address,
      String query,
      @JsonPropertyDescription("Seconds, 1 to 120; default 30") Integer timeout,
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
      @JsonPropertyDescription("Seconds, 1 to 120; default 10") Integer timeoutSeconds,
      Boolean insecure,
      @JsonPropertyDescription("Follow HTTP redirects (default false); the metric's headers go only to its own scheme, host and port")
      Boolean followRedirects) {}

  public record Header(String key, String value) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Job(ObjectMeta metadata, JobSpec spec) {}
}
