package dev.sluice.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import dev.sluice.api.v1alpha1.MetricProvider.Header;
import dev.sluice.api.v1alpha1.MetricProvider.Web;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP shape of the web provider against a scripted server on 127.0.0.1. */
class WebProviderTest {
  private final MockWebServer server = new MockWebServer();
  private final WebProvider provider = new WebProvider(HttpClients.shared(), ProviderAddressPolicy.defaults());

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ProviderResult call(String method, String body, String jsonPath, Integer timeout) {
    Web web = new Web("http://127.0.0.1:" + server.getPort() + "/health?svc=checkout", method,
        List.of(new Header("Authorization", "Bearer t")), body, jsonPath, timeout, null, null);
    Metric metric = new Metric("web", null, null, null, null, null, null, null, null, null, new MetricProvider(null, web, null));
    return provider.measure(new MeasurementContext(new RunReference("ns", "run", "uid", "v", "k"), metric, 1, (n, k) -> ""));
  }

  @Test
  void getPicksTheValueByJsonPathInArgosBraces() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"data\":{\"ok\":true,\"rate\":0.97}}").build());

    ProviderResult result = call(null, null, "{$.data.rate}", null);

    assertThat(result).isEqualTo(new ProviderResult.Observed("0.97", 0.97, null));
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().queryParameter("svc")).isEqualTo("checkout");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer t");
  }

  @Test
  void postSendsTheBodyAndAnObjectValueBecomesAMap() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"result\":{\"ok\":\"true\",\"n\":3}}").build());

    ProviderResult result = call("POST", "{\"q\":1}", "$.result", null);

    assertThat(result).isEqualTo(new ProviderResult.Observed("{\"ok\":\"true\",\"n\":3}", Map.of("ok", "true", "n", 3L), null));
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getBody().utf8()).isEqualTo("{\"q\":1}");
    assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
  }

  @Test
  void withoutJsonPathTheWholeDocumentIsTheValue() {
    server.enqueue(new MockResponse.Builder().code(200).body("[1,2]").build());
    assertThat(call(null, null, null, null)).isEqualTo(new ProviderResult.Observed("[1,2]", List.of(1L, 2L), null));
  }

  @Test
  void failuresSayWhatWentWrongWithoutTheQueryString() {
    server.enqueue(new MockResponse.Builder().code(503).body("down for maintenance").build());
    server.enqueue(new MockResponse.Builder().code(200).body("not json").build());
    server.enqueue(new MockResponse.Builder().code(200).body("{\"data\":{}}").build());
    server.enqueue(new MockResponse.Builder().code(200).body("{}").headersDelay(3, TimeUnit.SECONDS).build());
    String where = "web metric at http://127.0.0.1:" + server.getPort() + "/health";

    assertThat(call(null, null, "$.x", null)).isEqualTo(new ProviderResult.Failure(where + " answered HTTP 503: down for maintenance"));
    assertThat(call(null, null, "$.x", null)).isEqualTo(new ProviderResult.Failure(where + " did not answer JSON: not json"));
    assertThat(call(null, null, "{$.data.ok}", null))
        .isEqualTo(new ProviderResult.Failure("jsonPath {$.data.ok} matches nothing in the answer of " + where + ": {\"data\":{}}"));
    assertThat(call(null, null, "$.x", 1)).isEqualTo(new ProviderResult.Failure(where + " did not answer within 1s"));
  }

  @Test
  void anUnsupportedMethodIsAFailure() {
    assertThat(call("DELETE", null, null, null)).isEqualTo(new ProviderResult.Failure("web method \"DELETE\" is not one of GET, POST, PUT"));
  }

  @Test
  void aServerAnsweringAfterTenSecondsIsWaitedForWhenTheTimeoutIsLonger() {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"ok\":true}").headersDelay(11, TimeUnit.SECONDS).build());
    assertThat(call(null, null, "$.ok", 30)).isEqualTo(new ProviderResult.Observed("true", true, null));
  }
}
