package dev.sluice.e2e.analysis;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus (Debian's {@code /usr/bin/prometheus}) started for the tests on 127.0.0.1,
 * scraping one target every second, with its storage in a temporary directory. Never a system
 * service: it is this JVM's child and is stopped (and its files removed) on {@link #close()}.
 */
public final class PrometheusServer implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/prometheus");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path home;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;

  public PrometheusServer(String scrapeTarget) {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " is missing: install Debian's prometheus package (apt-get install -y prometheus); dev/prereqs and dev/test do");
    }
    try {
      home = Files.createTempDirectory("sluice-prometheus");
      Files.writeString(home.resolve("prometheus.yml"), """
          global:
            scrape_interval: 1s
            evaluation_interval: 1s
          scrape_configs:
          - job_name: canary
            static_configs:
            - targets: ['%s']
          """.formatted(scrapeTarget));
      port = freePort();
      Path log = home.resolve("prometheus.log");
      process = new ProcessBuilder(List.of(BINARY.toString(),
          "--config.file=" + home.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + home.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port,
          "--log.level=warn"))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // until it listens, a connection is refused: that is "not ready yet", not a failure
    await("Prometheus ready on " + address()).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .ignoreException(java.net.ConnectException.class)
        .until(() -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("prometheus exited: " + Files.readString(home.resolve("prometheus.log")));
          }
          return get("/-/ready").statusCode() == 200;
        });
  }

  public String address() {
    return "http://127.0.0.1:" + port;
  }

  /** Waits until a query gives exactly this value (as Prometheus prints it), i.e. the scrape arrived. */
  public void awaitValue(String query, String value) {
    await("Prometheus has " + query + " = " + value).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          JsonNode result = JSON.readTree(get("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)).body())
              .path("data").path("result");
          return result.size() == 1 && value.equals(result.get(0).path("value").path(1).asText());
        });
  }

  /** Stops Prometheus, as an outage would; {@link #close()} still cleans up. */
  public void stop() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public void close() throws InterruptedException, IOException {
    stop();
    try (Stream<Path> files = Files.walk(home)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(address() + pathAndQuery)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
