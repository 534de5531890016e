package dev.sluice.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiRequestCounterTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ApiRequestCounter counter = new ApiRequestCounter(registry);

  private static HttpRequest request(String method, String path) {
    var builder = new StandardHttpRequest.Builder().uri(URI.create("https://127.0.0.1:6443" + path));
    if (!method.equals("GET")) builder.method(method, "application/json", "{}");
    return builder.build();
  }

  private static HttpResponse<Void> response(HttpRequest request, int code) {
    return new HttpResponse<>() {
      @Override public int code() { return code; }
      @Override public Void body() { return null; }
      @Override public HttpRequest request() { return request; }
      @Override public Optional<HttpResponse<?>> previousResponse() { return Optional.empty(); }
      @Override public List<String> headers(String key) { return List.of(); }
      @Override public Map<String, List<String>> headers() { return Map.of(); }
    };
  }

  private double count(String verb, String resource, String code) {
    var c = registry.find(ApiRequestCounter.METER_NAME).tags("verb", verb, "resource", resource, "code", code).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void countsEachResponseByVerbResourceAndCodeWithoutNames() {
    var patchA = request("PATCH", "/apis/sluice.dev/v1alpha1/namespaces/shop/rollouts/web/status");
    var patchB = request("PATCH", "/apis/sluice.dev/v1alpha1/namespaces/bank/rollouts/api/status");
    var conflict = request("PATCH", "/apis/sluice.dev/v1alpha1/namespaces/shop/rollouts/web/status");
    var create = request("POST", "/apis/apps/v1/namespaces/shop/replicasets");

    counter.after(patchA, response(patchA, 200), null);
    counter.after(patchB, response(patchB, 200), null);
    counter.after(conflict, response(conflict, 409), null);
    counter.after(create, response(create, 201), null);

    assertThat(count("patch", "rollouts/status", "200")).isEqualTo(2);
    assertThat(count("patch", "rollouts/status", "409")).isEqualTo(1);
    assertThat(count("create", "replicasets", "201")).isEqualTo(1);
    assertThat(registry.find(ApiRequestCounter.METER_NAME).counters()).allSatisfy(c ->
        assertThat(c.getId().getTags()).noneMatch(t -> t.getValue().contains("shop") || t.getValue().contains("web")));
  }

  @Test
  void aRequestThatGotNoResponseCountsAsFailed() {
    var get = request("GET", "/apis/sluice.dev/v1alpha1/namespaces/shop/rollouts?watch=true");

    counter.afterConnectionFailure(get, new IOException("connection refused"));

    assertThat(count("watch", "rollouts", "failed")).isEqualTo(1);
  }
}
