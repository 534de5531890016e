package dev.sluice.api.v1alpha1;

import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Max;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.Map;

/** One canary step: exactly one of its fields is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryStep(
    @Min(0) @Max(Bounds.TRAFFIC_WEIGHT) @JsonPropertyDescription("Percent of traffic (or of replicas, without a router) for the canary; at most trafficRouting.maxTrafficWeight") Integer setWeight,
    Pause pause,
    SetCanaryScale setCanaryScale,
    RolloutAnalysis analysis,
    SetHeaderRoute setHeaderRoute,
    SetMirrorRoute setMirrorRoute) {

  /** {@code pause: {}} waits for promote; {@code pause: {duration: 30s}} waits that long. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Pause(
      @JsonPropertyDescription("Seconds as an integer, or a duration such as 30s, 5m, 1h30m") IntOrString duration) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SetCanaryScale(@Min(0) @Max(100) Integer weight, @Min(0) @Max(Bounds.REPLICAS) Integer replicas, Boolean matchTrafficWeight) {}

  /** Route requests whose headers match to the canary; no match removes the route. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SetHeaderRoute(String name, List<HeaderMatch> match) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HeaderMatch(String headerName, StringMatch headerValue) {}

  /** Exactly one of exact, prefix, regex. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StringMatch(String exact, String prefix, String regex) {}

  /** Mirror (copy) matching requests to the canary; no match removes the route. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SetMirrorRoute(String name, @Min(0) @Max(100) Integer percentage, List<RouteMatch> match) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RouteMatch(StringMatch method, StringMatch path, Map<String, StringMatch> headers) {}

  public static CanaryStep weight(int w) {
    return new CanaryStep(w, null, null, null, null, null);
  }

  public static CanaryStep pause(String duration) {
    return new CanaryStep(null, new Pause(duration == null ? null : new IntOrString(duration)), null, null, null, null);
  }

  public static CanaryStep canaryScale(SetCanaryScale s) {
    return new CanaryStep(null, null, s, null, null, null);
  }
}
