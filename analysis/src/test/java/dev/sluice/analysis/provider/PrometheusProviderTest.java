package dev.sluice.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.analysis.args.SecretLookup;
import dev.sluice.analysis.args.SecretLookupException;
import dev.sluice.api.v1alpha1.AnalysisArgument.SecretKeyRef;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import dev.sluice.api.v1alpha1.MetricProvider.Authentication;
import dev.sluice.api.v1alpha1.MetricProvider.BasicAuth;
import dev.sluice.api.v1alpha1.MetricProvider.BearerAuth;
import dev.sluice.api.v1alpha1.MetricProvider.Header;
import dev.sluice.api.v1alpha1.MetricProvider.Prometheus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP shape of the Prometheus provider against a scripted server on 127.0.0.1 (the e2e
 * tests run the real Prometheus; here the point is what goes over the wire).
 */
class PrometheusProviderTest {
  private static final String VECTOR = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"0.01\"]}]}}";
  private static final SecretLookup SECRETS = (name, key) -> {
    if (name.equals("prom-auth") && key.equals("token")) return "tok-123";
    if (name.equals("prom-auth") && key.equals("password")) return "pw-456";
    throw new SecretLookupException("Secret \"" + name + "\" not found in namespace \"team\"");
  };

  private final MockWebServer server = new MockWebServer();
  private final PrometheusProvider provider = new PrometheusProvider(HttpClients.shared(), ProviderAddressPolicy.defaults());

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ProviderResult measure(String address, Integer timeout, List<Header> headers, Authentication auth) {
    Metric metric = new Metric("errors", null, null, null, null, null, null, null, null, null,
        new MetricProvider(new Prometheus(address, "sum(rate(errors{svc=\"a b\"}[1m]))", timeout, null, headers, auth), null, null));
    return provider.measure(new MeasurementContext(new RunReference("team", "run", "uid", "sluice.dev/v1alpha1", "AnalysisRun"), metric, 1, SECRETS));
  }

  private String address() {
    return "http://127.0.0.1:" + server.getPort();
  }

  @Test
  void sendsAnInstantQueryWithHeadersAndABearerTokenFromTheSecret() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body(VECTOR).build());

    ProviderResult result = measure(address() + "/prom/", null, List.of(new Header("X-Scope-OrgID", "team-a")),
        new Authentication(new BearerAuth(new SecretKeyRef("prom-auth", "token")), null));

    assertThat(result).isEqualTo(new ProviderResult.Observed("[0.01]", List.of(0.01), null));
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/prom/api/v1/query");
    assertThat(request.getUrl().queryParameter("query")).isEqualTo("sum(rate(errors{svc=\"a b\"}[1m]))");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer tok-123");
    assertThat(request.getHeaders().get("X-Scope-OrgID")).isEqualTo("team-a");
  }

  @Test
  void basicAuthenticationUsesThePasswordFromTheSecret() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body(VECTOR).build());
    measure(address(), null, null, new Authentication(null, new BasicAuth("reader", new SecretKeyRef("prom-auth", "password"))));
    String header = server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization");
    assertThat(header).isEqualTo("Basic " + Base64.getEncoder().encodeToString("reader:pw-456".getBytes()));
  }

  @Test
  void aMissingSecretIsAFailureNamingIt() {
    ProviderResult result = measure(address(), null, null, new Authentication(new BearerAuth(new SecretKeyRef("gone", "token")), null));
    assertThat(result).isEqualTo(new ProviderResult.Failure("prometheus authentication: Secret \"gone\" not found in namespace \"team\""));
    assertThat(server.getRequestCount()).as("nothing sent without credentials").isZero();
  }

  @Test
  void aSlowPrometheusIsAFailureAfterTheTimeout() {
    server.enqueue(new MockResponse.Builder().code(200).body(VECTOR).headersDelay(5, TimeUnit.SECONDS).build());
    long start = System.nanoTime();
    ProviderResult result = measure(address(), 1, null, null);
    assertThat(result).isEqualTo(new ProviderResult.Failure("Prometheus at " + address() + " did not answer within 1s"));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4000);
  }

  @Test
  void anUnreachablePrometheusIsAFailureNamingTheAddress() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    ProviderResult result = measure("http://127.0.0.1:" + closedPort, null, null, null);
    assertThat(result).isInstanceOf(ProviderResult.Failure.class);
    assertThat(((ProviderResult.Failure) result).message()).startsWith("Prometheus at http://127.0.0.1:" + closedPort + " unreachable: ");
  }

  @Test
  void anAddressThatIsNotAUrlIsAFailure() {
    assertThat(measure("prometheus:9090", null, null, null))
        .isEqualTo(new ProviderResult.Failure("prometheus address \"prometheus:9090\" is not an http(s) URL"));
  }

  @Test
  void aHeaderValueHttpCannotCarryIsNamedButNotEchoed() {
    ProviderResult result = measure(address(), null, List.of(new Header("X-Token", "abc\nsecret")), null);
    assertThat(result).isEqualTo(new ProviderResult.Failure("header \"X-Token\" has a name or value HTTP does not allow"));
  }
}
