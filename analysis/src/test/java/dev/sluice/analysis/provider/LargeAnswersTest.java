package dev.sluice.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import dev.sluice.api.v1alpha1.MetricProvider.Prometheus;
import dev.sluice.api.v1alpha1.MetricProvider.Web;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers far larger than any metric needs, streamed by a real HTTP server on 127.0.0.1 (never held
 * in the test's memory): the providers read at most 1 MiB and say so, instead of running out of heap.
 */
class LargeAnswersTest {
  private static final long HUNDRED_MB = 100L * 1024 * 1024;
  private static final long TWO_MB = 2L * 1024 * 1024;

  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/declared-100mb", exchange -> stream(exchange, HUNDRED_MB, HUNDRED_MB));
    server.createContext("/chunked-100mb", exchange -> stream(exchange, 0, HUNDRED_MB));
    server.createContext("/chunked-2mb", exchange -> stream(exchange, 0, TWO_MB));
    server.createContext("/api/v1/query", exchange -> stream(exchange, 0, HUNDRED_MB));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /** A JSON array of ones, {@code size} bytes long; {@code declared} 0 = chunked, no Content-Length. */
  private static void stream(com.sun.net.httpserver.HttpExchange exchange, long declared, long size) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, declared);
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) '1');
    for (int i = 1; i < chunk.length; i += 2) {
      chunk[i] = ',';
    }
    try (OutputStream out = exchange.getResponseBody()) {
      out.write('[');
      long written = 1;
      while (written < size - chunk.length) {
        out.write(chunk);
        written += chunk.length;
      }
      byte[] tail = "1]".getBytes(StandardCharsets.UTF_8);
      out.write(chunk, 0, (int) (size - written - tail.length));
      out.write(tail);
    } catch (IOException clientHungUp) {
      // the provider stops reading at its limit: that is the point
    }
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static ProviderResult web(String url) {
    Web web = new Web(url, null, null, null, null, 30, null, null);
    Metric metric = new Metric("big", null, null, null, null, null, null, null, null, null, new MetricProvider(null, web, null));
    return new WebProvider(HttpClients.shared(), ProviderAddressPolicy.defaults()).measure(context(metric));
  }

  private static MeasurementContext context(Metric metric) {
    return new MeasurementContext(new RunReference("team", "run", "uid", "sluice.dev/v1alpha1", "AnalysisRun"), metric, 1, (n, k) -> "");
  }

  @Test
  void aHundredMegabyteAnswerWithContentLengthIsRefusedUnread() {
    assertThat(web(url("/declared-100mb"))).isEqualTo(new ProviderResult.Failure(
        "web metric at " + url("/declared-100mb") + ": response larger than 1048576 bytes, not read"));
  }

  @Test
  void aHundredMegabyteStreamedAnswerIsCutAtTheLimit() {
    assertThat(web(url("/chunked-100mb"))).isEqualTo(new ProviderResult.Failure(
        "web metric at " + url("/chunked-100mb") + ": response larger than 1048576 bytes, not read"));
  }

  @Test
  void aTwoMegabyteAnswerIsRefusedToo() {
    assertThat(web(url("/chunked-2mb"))).isEqualTo(new ProviderResult.Failure(
        "web metric at " + url("/chunked-2mb") + ": response larger than 1048576 bytes, not read"));
  }

  @Test
  void prometheusAnsweringAHundredMegabytesIsRefused() {
    Metric metric = new Metric("big", null, null, null, null, null, null, null, null, null,
        new MetricProvider(new Prometheus(url(""), "up", 30, null, null, null), null, null));
    assertThat(new PrometheusProvider(HttpClients.shared(), ProviderAddressPolicy.defaults()).measure(context(metric))).isEqualTo(new ProviderResult.Failure(
        "Prometheus at " + url("") + ": response larger than 1048576 bytes, not read"));
  }
}
