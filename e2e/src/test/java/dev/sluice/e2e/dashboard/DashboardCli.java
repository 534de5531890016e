package dev.sluice.e2e.dashboard;

import static org.awaitility.Awaitility.await;

import dev.sluice.cli.SluiceCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kubectl sluice -n NAMESPACE dashboard --port 0}, run in-process on its own thread as a user
 * would run it in a terminal; interrupting the thread is the Ctrl-C.
 */
final class DashboardCli implements AutoCloseable {
  private static final Pattern ADDRESS = Pattern.compile("Sluice dashboard: (http://127\\.0\\.0\\.1:\\d+/)");

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final AtomicInteger exitCode = new AtomicInteger(Integer.MIN_VALUE);
  private final Thread thread;
  private final URI url;

  DashboardCli(Path kubeconfig, String namespace) {
    thread = new Thread(() -> exitCode.set(SluiceCli.run(new PrintWriter(out, true), new PrintWriter(err, true),
        "--kubeconfig", kubeconfig.toString(), "-n", namespace, "dashboard", "--port", "0")), "kubectl-sluice-dashboard");
    thread.setDaemon(true);
    thread.start();
    await("kubectl sluice dashboard prints its address").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> ADDRESS.matcher(out.toString()).find() || !thread.isAlive());
    Matcher address = ADDRESS.matcher(out.toString());
    if (!address.find()) {
      throw new IllegalStateException("kubectl sluice dashboard ended (exit " + exitCode.get() + "): " + out + err);
    }
    url = URI.create(address.group(1));
  }

  URI url() {
    return url;
  }

  String output() {
    return out.toString();
  }

  /** The exit code once it ended, else null. */
  Integer exitCode() {
    return thread.isAlive() ? null : exitCode.get();
  }

  /** Ctrl-C: returns the exit code, or null if it did not end within 30 seconds. */
  Integer stop() throws InterruptedException {
    thread.interrupt();
    thread.join(Duration.ofSeconds(30).toMillis());
    return exitCode();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
