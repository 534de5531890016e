package dev.sluice.e2e.cli;

import dev.sluice.cli.SluiceCli;
import dev.sluice.e2e.LocalCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * kubectl-sluice run in-process, as a user of one namespace of the local cluster would run it:
 * with the cluster's kubeconfig and {@code -n NAMESPACE}, capturing stdout and stderr.
 */
public final class KubectlSluice {
  public record Result(int exitCode, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  /** A command still running (a watch): its output so far, and a way to stop it as Ctrl-C would. */
  static final class Running {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private Thread thread;

    String out() {
      return out.toString();
    }

    String err() {
      return err.toString();
    }

    boolean finished() {
      return exitCode.isDone();
    }

    int exitCode(Duration within) throws Exception {
      return exitCode.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    void interrupt() {
      thread.interrupt();
    }
  }

  private final Path kubeconfig;
  private final String namespace;

  public KubectlSluice(LocalCluster cluster, String namespace) {
    this(cluster.kubeconfig(), namespace);
  }

  /** As a user whose kubeconfig is {@code kubeconfig}. */
  KubectlSluice(Path kubeconfig, String namespace) {
    this.kubeconfig = kubeconfig;
    this.namespace = namespace;
  }

  public Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = SluiceCli.run(new PrintWriter(out), new PrintWriter(err), withCluster(args));
    return new Result(exitCode, out.toString(), err.toString());
  }

  Running start(String... args) {
    Running running = new Running();
    running.thread = new Thread(() -> {
      try {
        running.exitCode.complete(SluiceCli.run(new PrintWriter(running.out), new PrintWriter(running.err), withCluster(args)));
      } catch (Throwable t) {
        running.exitCode.completeExceptionally(t);
      }
    }, "kubectl-sluice " + String.join(" ", args));
    running.thread.start();
    return running;
  }

  private String[] withCluster(String... args) {
    return Stream.concat(Stream.of("--kubeconfig", kubeconfig.toString(), "-n", namespace), Stream.of(args))
        .toArray(String[]::new);
  }
}
