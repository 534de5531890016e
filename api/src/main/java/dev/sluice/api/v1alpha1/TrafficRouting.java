package dev.sluice.api.v1alpha1;

import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Max;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/** spec.strategy.canary.trafficRouting: which router moves request traffic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrafficRouting(
    Nginx nginx,
    Istio istio,
    Smi smi,
    @JsonPropertyDescription("Gateway API HTTPRoute(s) (built in; Argo Rollouts needs a plugin for this)") GatewayApi gatewayAPI,
    @JsonPropertyDescription("Header and mirror routes Sluice may add, in precedence order") List<ManagedRoute> managedRoutes,
    @Min(1) @Max(Bounds.TRAFFIC_WEIGHT) @JsonPropertyDescription("Weight that means all traffic; default 100") Integer maxTrafficWeight) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Nginx(
      String stableIngress,
      List<String> stableIngresses,
      @JsonPropertyDescription("default nginx.ingress.kubernetes.io") String annotationPrefix,
      Map<String, String> additionalIngressAnnotations,
      Map<String, String> canaryIngressAnnotations) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Istio(VirtualService virtualService, List<VirtualService> virtualServices, DestinationRule destinationRule) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record VirtualService(String name, List<String> routes, List<TlsRoute> tlsRoutes, List<TcpRoute> tcpRoutes) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TlsRoute(@Min(1) @Max(65535) Integer port, List<String> sniHosts) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TcpRoute(@Min(1) @Max(65535) Integer port) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DestinationRule(String name, String canarySubsetName, String stableSubsetName) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Smi(String rootService, String trafficSplitName) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GatewayApi(String httpRoute, List<HttpRouteRef> httpRoutes, String namespace) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HttpRouteRef(String name, Boolean useHeaderRoutes) {}

  public record ManagedRoute(String name) {}
}
