package dev.sluice.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.analysis.args.SecretLookup;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import dev.sluice.api.v1alpha1.MetricProvider.JudgePrometheus;
import dev.sluice.api.v1alpha1.MetricProvider.Prometheus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The prometheus and judge providers reach only the addresses the operator allows, like web
 * metrics: a tenant's {@code address} must not lead the controller to the metadata service, the API
 * server or a denied range. "No connection" is proved on a bare socket on 127.0.0.1 that nothing
 * accepts from: a connection the provider made would be waiting in its backlog.
 */
class PrometheusAddressPolicyTest {
  private static final Instant STARTED = Instant.parse("2026-01-01T10:00:00Z");
  private static final SecretLookup SECRETS = (name, key) -> "tok-123";
  private static final RunReference RUN = new RunReference("team", "run", "uid", "sluice.dev/v1alpha1", "AnalysisRun");
  private static final String VECTOR = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"0.5\"]}]}}";

  private final ServerSocket listener = new ServerSocket();

  PrometheusAddressPolicyTest() throws IOException {}

  @BeforeEach
  void listen() throws IOException {
    listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
  }

  @AfterEach
  void close() throws IOException {
    listener.close();
  }

  private String listenerAddress() {
    return "http://127.0.0.1:" + listener.getLocalPort();
  }

  private static ProviderResult prometheus(String address, ProviderAddressPolicy policy) {
    Metric metric = new Metric("errors", null, null, null, null, null, null, null, null, null,
        new MetricProvider(new Prometheus(address, "up", 5, null, null, null), null, null));
    return new PrometheusProvider(HttpClients.shared(), policy).measure(new MeasurementContext(RUN, metric, 1, SECRETS));
  }

  private static ProviderResult judge(String address, ProviderAddressPolicy policy) {
    var judge = new MetricProvider.Judge(new JudgePrometheus(address, 5, null, null), "canary_errors", "baseline_errors",
        null, null, null, null, "1s");
    Metric metric = new Metric("errors", "5s", null, null, null, null, null, null, null, null, new MetricProvider(null, null, null, judge));
    var schedule = new MeasurementContext.Schedule(STARTED, STARTED.plusSeconds(30), false);
    return new JudgeProvider(HttpClients.shared(), policy).measure(new MeasurementContext(RUN, metric, 1, SECRETS, schedule));
  }

  /** Whether anything connected to the listener: a connection made is already queued, so the wait only bounds the "no". */
  private boolean connectedTo() throws IOException {
    listener.setSoTimeout(300);
    try (var ignored = listener.accept()) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  @Test
  void aPrometheusAddressOnTheMetadataServiceIsRefusedWhateverTheAllowList() {
    var everything = new ProviderAddressPolicy(List.of(AddressRange.parse("0.0.0.0/0")), List.of(), Set.of());

    assertThat(prometheus("http://169.254.169.254/latest/meta-data", everything)).isEqualTo(new ProviderResult.Failure(
        "Prometheus at http://169.254.169.254/latest/meta-data refused: address 169.254.169.254 is in 169.254.0.0/16, which metrics may not reach"));
    assertThat(prometheus("http://169.254.169.254/", ProviderAddressPolicy.defaults())).isEqualTo(new ProviderResult.Failure(
        "Prometheus at http://169.254.169.254 refused: address 169.254.169.254 is in 169.254.0.0/16, which metrics may not reach"));
  }

  @Test
  void aJudgeAddressOnTheMetadataServiceIsRefused() {
    assertThat(judge("http://169.254.169.254", ProviderAddressPolicy.defaults())).isEqualTo(new ProviderResult.Failure(
        "Prometheus at http://169.254.169.254 refused: address 169.254.169.254 is in 169.254.0.0/16, which metrics may not reach"));
  }

  @Test
  void aPrometheusAddressInADeniedRangeIsNeverConnectedTo() throws IOException {
    var policy = new ProviderAddressPolicy(List.of(), List.of(AddressRange.parse("127.0.0.0/8")), Set.of());

    assertThat(prometheus(listenerAddress() + "/prom", policy)).isEqualTo(new ProviderResult.Failure("Prometheus at "
        + listenerAddress() + "/prom refused: address 127.0.0.1 is in 127.0.0.0/8, which metrics may not reach"));
    assertThat(connectedTo()).isFalse();
  }

  @Test
  void aHostNameIsCheckedAtEveryAddressItResolvesTo() throws IOException {
    var policy = new ProviderAddressPolicy(List.of(), List.of(AddressRange.parse("127.0.0.0/8"), AddressRange.parse("::1")), Set.of());
    String address = "http://localhost:" + listener.getLocalPort();

    assertThat(prometheus(address, policy)).isInstanceOfSatisfying(ProviderResult.Failure.class, f -> assertThat(f.message())
        .startsWith("Prometheus at " + address + " refused: address ").endsWith(", which metrics may not reach"));
    assertThat(connectedTo()).isFalse();
  }

  @Test
  void aJudgeAddressOutsideTheAllowListIsNeverConnectedTo() throws IOException {
    var policy = new ProviderAddressPolicy(List.of(AddressRange.parse("10.0.0.0/8")), List.of(), Set.of());

    assertThat(judge(listenerAddress(), policy)).isEqualTo(new ProviderResult.Failure("Prometheus at " + listenerAddress()
        + " refused: address 127.0.0.1 is outside the ranges metrics may reach (10.0.0.0/8)"));
    assertThat(connectedTo()).isFalse();
  }

  @Test
  void theApiServersAddressAndPortAreNeverConnectedTo() throws IOException {
    var policy = new ProviderAddressPolicy(List.of(), List.of(), Set.of(new InetSocketAddress("127.0.0.1", listener.getLocalPort())));

    assertThat(prometheus(listenerAddress(), policy)).isEqualTo(new ProviderResult.Failure("Prometheus at " + listenerAddress()
        + " refused: address 127.0.0.1 port " + listener.getLocalPort() + " is the API server's, which metrics may not reach"));
    assertThat(judge(listenerAddress(), policy)).isInstanceOf(ProviderResult.Failure.class);
    assertThat(connectedTo()).isFalse();
  }

  @Test
  void theDetectorSeesAConnectionTheProviderMade() throws IOException {
    // the same call with the range allowed reaches the listener (and times out unanswered): the "no" above means something
    var policy = new ProviderAddressPolicy(List.of(AddressRange.parse("127.0.0.0/8")), List.of(), Set.of());
    Metric metric = new Metric("errors", null, null, null, null, null, null, null, null, null,
        new MetricProvider(new Prometheus(listenerAddress(), "up", 1, null, null, null), null, null));

    ProviderResult result = new PrometheusProvider(HttpClients.shared(), policy).measure(new MeasurementContext(RUN, metric, 1, SECRETS));

    assertThat(result).isEqualTo(new ProviderResult.Failure("Prometheus at " + listenerAddress() + " did not answer within 1s"));
    assertThat(connectedTo()).isTrue();
  }

  @Test
  void allowedPrometheusAndJudgeAddressesAreStillReached() throws IOException {
    var policy = new ProviderAddressPolicy(List.of(AddressRange.parse("127.0.0.0/8")), List.of(AddressRange.parse("10.0.0.0/8")), Set.of());
    try (var server = new MockWebServer()) {
      server.enqueue(new MockResponse.Builder().code(200).body(VECTOR).build());
      server.enqueue(new MockResponse.Builder().code(200).body(matrix()).build());
      server.enqueue(new MockResponse.Builder().code(200).body(matrix()).build());
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      String address = "http://127.0.0.1:" + server.getPort();

      assertThat(prometheus(address, policy)).isEqualTo(new ProviderResult.Observed("[0.5]", List.of(0.5), null));
      assertThat(judge(address, policy)).isInstanceOf(ProviderResult.Observed.class);
      assertThat(server.getRequestCount()).isEqualTo(3);
    }
  }

  private static String matrix() {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[[1767261601,\"0.01\"],[1767261602,\"0.01\"]]}]}}";
  }
}
