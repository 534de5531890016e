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
public record MetricProvider(Prometheus prometheus, Web web, Job job) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Prometheus(
      String address,
      String query,
      @Min(1) @Max(Bounds.SECONDS) @JsonPropertyDescription("Seconds; default 30") Integer timeout,
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
      @Min(1) @Max(Bounds.SECONDS) @JsonPropertyDescription("Seconds; default 10") Integer timeoutSeconds,
      Boolean insecure) {}

  public record Header(String key, String value) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Job(ObjectMeta metadata, JobSpec spec) {}
}
