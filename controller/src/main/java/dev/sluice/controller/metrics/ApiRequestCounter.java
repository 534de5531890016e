package dev.sluice.controller.metrics;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A fabric8 HTTP client interceptor that counts the controller's requests to the Kubernetes API
 * server as {@code sluice_kubernetes_api_requests_total{verb, group, resource, code}}: one count per
 * response (a watch counts when it is established), {@code code="failed"} when no response came.
 */
public final class ApiRequestCounter implements Interceptor {
  public static final String METER_NAME = "sluice.kubernetes.api.requests";
  /** The name under which it is added to a fabric8 HTTP client builder. */
  public static final String INTERCEPTOR_NAME = "sluice-api-request-counter";

  private final MeterRegistry registry;

  public ApiRequestCounter(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    count(request, Integer.toString(response.code()));
  }

  @Override
  public void afterConnectionFailure(HttpRequest request, Throwable failure) {
    count(request, "failed");
  }

  private void count(HttpRequest request, String code) {
    ApiRequest r = ApiRequest.of(request.method(), request.uri());
    Counter.builder(METER_NAME)
        .description("requests to the Kubernetes API server by verb, API group, resource[/subresource] and HTTP status")
        .tags("verb", r.verb(), "group", r.group(), "resource", r.resource(), "code", code)
        .register(registry)
        .increment();
  }
}
