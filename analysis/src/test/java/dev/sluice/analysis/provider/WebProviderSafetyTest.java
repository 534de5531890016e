package dev.sluice.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import dev.sluice.api.v1alpha1.MetricProvider.Header;
import dev.sluice.api.v1alpha1.MetricProvider.Web;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redirects and reachable addresses of web metrics, against two scripted servers on 127.0.0.1 (two origins by port). */
class WebProviderSafetyTest {
  private final MockWebServer metric = new MockWebServer();
  private final MockWebServer elsewhere = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    metric.start(InetAddress.getByName("127.0.0.1"), 0);
    elsewhere.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    metric.close();
    elsewhere.close();
  }

  private ProviderResult call(Boolean followRedirects, ProviderAddressPolicy policy) {
    Web web = new Web("http://127.0.0.1:" + metric.getPort() + "/health?token=abc", null,
        List.of(new Header("Authorization", "Bearer secret-token"), new Header("X-Api-Key", "secret-key")),
        null, "$.ok", 5, null, followRedirects);
    Metric m = new Metric("web", null, null, null, null, null, null, null, null, null, new MetricProvider(null, web, null));
    return new WebProvider(HttpClients.shared(), policy)
        .measure(new MeasurementContext(new RunReference("team", "run", "uid", "v", "k"), m, 1, (n, k) -> ""));
  }

  private String elsewhereUrl(String path) {
    return "http://127.0.0.1:" + elsewhere.getPort() + path;
  }

  @Test
  void aRedirectIsAnErrorUnlessTheMetricFollowsRedirects() {
    metric.enqueue(new MockResponse.Builder().code(302).addHeader("Location", elsewhereUrl("/moved?sig=x")).build());
    elsewhere.enqueue(new MockResponse.Builder().code(200).body("{\"ok\":true}").build());

    assertThat(call(null, ProviderAddressPolicy.defaults())).isEqualTo(new ProviderResult.Failure("web metric at http://127.0.0.1:"
        + metric.getPort() + "/health answered HTTP 302, a redirect to " + elsewhereUrl("/moved")
        + "; redirects are followed only with followRedirects: true"));
    assertThat(elsewhere.getRequestCount()).isZero();
  }

  @Test
  void aFollowedRedirectToAnotherOriginCarriesNoneOfTheMetricsHeaders() throws Exception {
    metric.enqueue(new MockResponse.Builder().code(302).addHeader("Location", elsewhereUrl("/moved")).build());
    elsewhere.enqueue(new MockResponse.Builder().code(200).body("{\"ok\":true}").build());

    assertThat(call(true, ProviderAddressPolicy.defaults())).isEqualTo(new ProviderResult.Observed("true", true, null));

    RecordedRequest first = metric.takeRequest(5, TimeUnit.SECONDS);
    assertThat(first.getHeaders().get("X-Api-Key")).isEqualTo("secret-key");
    RecordedRequest second = elsewhere.takeRequest(5, TimeUnit.SECONDS);
    assertThat(second.getHeaders().get("Authorization")).isNull();
    assertThat(second.getHeaders().get("X-Api-Key")).isNull();
  }

  @Test
  void aFollowedRedirectOnTheSameOriginKeepsTheHeaders() throws Exception {
    metric.enqueue(new MockResponse.Builder().code(301).addHeader("Location", "/v2/health").build());
    metric.enqueue(new MockResponse.Builder().code(200).body("{\"ok\":1}").build());

    assertThat(call(true, ProviderAddressPolicy.defaults())).isEqualTo(new ProviderResult.Observed("1", 1L, null));
    metric.takeRequest(5, TimeUnit.SECONDS);
    RecordedRequest second = metric.takeRequest(5, TimeUnit.SECONDS);
    assertThat(second.getUrl().encodedPath()).isEqualTo("/v2/health");
    assertThat(second.getHeaders().get("X-Api-Key")).isEqualTo("secret-key");
  }

  @Test
  void anAddressTheOperatorDeniesIsNeverSentARequest() {
    var policy = new ProviderAddressPolicy(List.of(), List.of(AddressRange.parse("127.0.0.0/8")), Set.of());

    assertThat(call(null, policy)).isEqualTo(new ProviderResult.Failure("web metric at http://127.0.0.1:" + metric.getPort()
        + "/health refused: address 127.0.0.1 is in 127.0.0.0/8, which metrics may not reach"));
    assertThat(metric.getRequestCount()).isZero();
  }

  @Test
  void withAnAllowListOnlyThoseRangesAreReached() {
    var policy = new ProviderAddressPolicy(List.of(AddressRange.parse("10.0.0.0/8")), List.of(), Set.of());

    assertThat(call(null, policy)).isEqualTo(new ProviderResult.Failure("web metric at http://127.0.0.1:" + metric.getPort()
        + "/health refused: address 127.0.0.1 is outside the ranges metrics may reach (10.0.0.0/8)"));
    assertThat(metric.getRequestCount()).isZero();
  }

  @Test
  void aRedirectToTheApiServerIsRefusedBeforeAnythingIsSent() {
    var policy = new ProviderAddressPolicy(List.of(), List.of(), Set.of(new InetSocketAddress("127.0.0.1", elsewhere.getPort())));
    metric.enqueue(new MockResponse.Builder().code(307).addHeader("Location", elsewhereUrl("/api/v1/secrets")).build());

    assertThat(call(true, policy)).isEqualTo(new ProviderResult.Failure("web metric at http://127.0.0.1:" + metric.getPort()
        + "/health refused: address 127.0.0.1 port " + elsewhere.getPort() + " is the API server's, which metrics may not reach"));
    assertThat(elsewhere.getRequestCount()).isZero();
  }

  @Test
  void linkLocalAddressesAreAlwaysDenied() throws Exception {
    var policy = new ProviderAddressPolicy(List.of(AddressRange.parse("0.0.0.0/0")), List.of(), Set.of());
    assertThat(policy.refusal(new InetSocketAddress(InetAddress.getByName("169.254.169.254"), 80)))
        .isEqualTo("address 169.254.169.254 is in 169.254.0.0/16, which metrics may not reach");
    assertThat(policy.refusal(new InetSocketAddress(InetAddress.getByName("fe80::1"), 80)))
        .isEqualTo("address fe80:0:0:0:0:0:0:1 is in fe80::/10, which metrics may not reach");
    assertThat(policy.refusal(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 80))).isNull();
  }

  @Test
  void aRangeThatDoesNotParseIsNamed() {
    assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33")).hasMessage("\"10.0.0.0/33\" has a prefix length outside 0..32");
    assertThatThrownBy(() -> AddressRange.parse("metadata.internal")).hasMessage("\"metadata.internal\" is not an address range such as 10.0.0.0/8 or fd00::/8");
  }
}
