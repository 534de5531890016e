package dev.sluice.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.cli.SluiceCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analysis replay} against a local HTTP server answering range queries like Prometheus:
 * the error ratio is 0.03 for hash "bad" and 0.01 for any other, with the same small wave.
 */
class AnalysisReplayCommandTest {
  private static final String TEMPLATE = """
      apiVersion: sluice.dev/v1alpha1
      kind: AnalysisTemplate
      metadata: {name: errors}
      spec:
        args:
        - name: canary-hash
        - name: stable-hash
        metrics:
        - name: error-ratio
          interval: 10s
          count: 4
          provider:
            judge:
              prometheus: {address: "http://prometheus.monitoring:9090"}
              canaryQuery: ratio{hash="{{args.canary-hash}}"}
              baselineQuery: ratio{hash="{{args.stable-hash}}"}
              sampleStep: 1s
      """;

  @TempDir
  Path dir;
  private HttpServer prometheus;

  @BeforeEach
  void start() throws IOException {
    prometheus = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    prometheus.createContext("/api/v1/query_range", exchange -> {
      Map<String, String> q = new HashMap<>();
      for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        q.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
      }
      double ratio = q.get("query").contains("bad") ? 0.03 : 0.01;
      List<String> samples = new ArrayList<>();
      int i = 0;
      for (double t = Double.parseDouble(q.get("start")); t <= Double.parseDouble(q.get("end")); t++, i++) {
        samples.add("[" + t + ",\"" + (ratio + 0.002 * Math.sin(i)) + "\"]");
      }
      byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":["
          + String.join(",", samples) + "]}]}}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    prometheus.start();
  }

  @AfterEach
  void stop() {
    prometheus.stop(0);
  }

  private record Result(int exitCode, String out, String err) {}

  private Result replay(String... more) throws IOException {
    return replayOf(TEMPLATE, more);
  }

  private Result replayOf(String template, String... more) throws IOException {
    Path file = dir.resolve("template.yaml");
    Files.writeString(file, template);
    List<String> args = new ArrayList<>(List.of("analysis", "replay", "-f", file.toString(),
        "--prometheus", "http://127.0.0.1:" + prometheus.getAddress().getPort()));
    args.addAll(List.of(more));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SluiceCli.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void printsEveryMeasurementAndTheVerdictOfAWorseCanary() throws IOException {
    Result r = replay("--arg", "canary-hash=bad", "--arg", "stable-hash=s1", "--from", "2026-01-01T10:00:00Z", "--to", "2026-01-01T11:00:00Z");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("error-ratio #1 at 2026-01-01T10:00:00Z: Successful {\"verdict\":\"continue\",\"canary\":{\"n\":1,");
    assertThat(lines.get(1)).startsWith("error-ratio #2 at 2026-01-01T10:00:10Z: Failed {\"verdict\":\"fail\",\"canary\":{\"n\":11,")
        .contains("(the canary is worse than the baseline");
    assertThat(lines.get(2)).startsWith("verdict: Failed: metric \"error-ratio\" assessed Failed due to failed (1) > failureLimit (0): "
        + "the canary is worse than the baseline: evidence ")
        .endsWith("failureCondition \"result.verdict == 'fail'\" is true for " + lines.get(1).split(" ")[5]);
  }

  @Test
  void anEqualCanaryPassesAtTheFourthMeasurement() throws IOException {
    Result r = replay("--arg", "canary-hash=good", "--arg", "stable-hash=s1", "--from", "2026-01-01T10:00:00Z", "--to", "2026-01-01T11:00:00Z");

    assertThat(r.out().lines().toList()).hasSize(5).last().isEqualTo("verdict: Successful");
    assertThat(r.out().lines().toList().get(3)).startsWith("error-ratio #4 at 2026-01-01T10:00:30Z: Successful {\"verdict\":\"pass\"");
  }

  @Test
  void severalJudgeMetricsEndWithTheRunsJudgeScore() throws IOException {
    String second = """
          - name: error-ratio-of-stable
            interval: 10s
            count: 4
            provider:
              judge:
                prometheus: {address: "http://prometheus.monitoring:9090"}
                canaryQuery: ratio{hash="{{args.stable-hash}}"}
                baselineQuery: ratio{hash="{{args.stable-hash}}"}
                sampleStep: 1s
        """;
    Result r = replayOf(TEMPLATE + second, "--arg", "canary-hash=bad", "--arg", "stable-hash=s1",
        "--from", "2026-01-01T10:00:00Z", "--to", "2026-01-01T11:00:00Z");

    assertThat(r.err()).isEmpty();
    assertThat(r.out().lines().toList()).last().asString()
        .startsWith("verdict: Failed: metric \"error-ratio\" assessed Failed due to ")
        .endsWith("; judge score 50/100: 1 of 2 judge metrics passed");
  }

  @Test
  void mistakesAreOneLineErrors() throws IOException {
    assertThat(replay("--arg", "canary-hash=bad", "--arg", "stable-hash=s1", "--from", "yesterday"))
        .isEqualTo(new Result(2, "", "error: --from \"yesterday\" is not an RFC 3339 time such as 2026-01-01T10:00:00Z\n"));
    assertThat(replay("--arg", "canary-hash=bad", "--arg", "colour=blue", "--from", "2026-01-01T10:00:00Z"))
        .isEqualTo(new Result(1, "", "error: the template has no argument \"colour\" (it has canary-hash, stable-hash)\n"));
    assertThat(replay("--arg", "canary-hash", "--from", "2026-01-01T10:00:00Z").err())
        .isEqualTo("error: --arg \"canary-hash\": expected NAME=VALUE\n");
    assertThat(replay("--arg", "canary-hash=bad", "--from", "2026-01-01T10:00:00Z").err())
        .startsWith("error: ").contains("stable-hash");
  }

  @Test
  void aTemplatesAddressOnTheMetadataServiceIsRefusedOnTheUsersMachineToo() throws IOException {
    Path file = dir.resolve("metadata.yaml");
    Files.writeString(file, TEMPLATE.replace("http://prometheus.monitoring:9090", "http://169.254.169.254/latest"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = SluiceCli.run(new PrintWriter(out), new PrintWriter(err), "analysis", "replay", "-f", file.toString(),
        "--arg", "canary-hash=bad", "--arg", "stable-hash=s1", "--from", "2026-01-01T10:00:00Z", "--to", "2026-01-01T10:00:00Z");

    assertThat(err.toString()).isEmpty();
    assertThat(code).isZero();
    assertThat(out.toString().lines().findFirst()).contains("error-ratio #1 at 2026-01-01T10:00:00Z: Error (Prometheus at "
        + "http://169.254.169.254/latest refused: address 169.254.169.254 is in 169.254.0.0/16, which metrics may not reach)");
  }
}
