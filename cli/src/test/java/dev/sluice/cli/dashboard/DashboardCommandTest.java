package dev.sluice.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.SluiceCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubectl sluice dashboard} when it cannot start: one clear line, and it ends. */
class DashboardCommandTest {
  private static final String TOKEN = "s3cr3t-dashboard-token";

  @TempDir
  Path dir;

  record Result(int exitCode, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = SluiceCli.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(exitCode, out.toString(), err.toString());
  }

  @Test
  void aPortOutOfRangeIsAUsageError() {
    Result result = run("dashboard", "--port", "70000");

    assertThat(result.err()).isEqualTo("error: --port must be between 0 and 65535, not 70000 (see 'kubectl sluice dashboard --help')\n");
    assertThat(result.exitCode()).isEqualTo(2);
  }

  @Test
  @Timeout(60)
  void aClusterThatIsNotThereIsOneLineAndNoServerIsLeft() throws IOException {
    int apiPort;
    int dashboardPort;
    try (ServerSocket api = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         ServerSocket dashboard = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      apiPort = api.getLocalPort();
      dashboardPort = dashboard.getLocalPort();
    }
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: gone, cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}}]
        users: [{name: bob, user: {token: %s}}]
        contexts: [{name: gone, context: {cluster: gone, user: bob}}]
        current-context: gone
        """.formatted(apiPort, TOKEN));

    Result result = run("--kubeconfig", kubeconfig.toString(), "dashboard", "--port", String.valueOf(dashboardPort));

    assertThat(result.err()).startsWith("error: cannot connect to the Kubernetes API server at https://127.0.0.1:" + apiPort
        + ": connection refused").doesNotContain(TOKEN).hasLineCount(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.exitCode()).isEqualTo(1);
    try (ServerSocket again = new ServerSocket(dashboardPort, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).as("the dashboard's port is free: nothing was left listening").isEqualTo(dashboardPort);
    }
  }
}
