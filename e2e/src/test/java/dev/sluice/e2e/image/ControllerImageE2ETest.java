package dev.sluice.e2e.image;

import static dev.sluice.e2e.Rollouts.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.ControllerProcess;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.Rollouts;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The controller image as a cluster would run it: its layers unpacked into a root file system, its
 * entrypoint started there by {@code chroot} as the image's user on a read-only root (see
 * {@link ContainerSandbox}), with the kubeconfig as a read-only volume, and a Rollout reaching Healthy.
 */
@RealCluster
class ControllerImageE2ETest {
  private static final Path WORK = Path.of("target", "controller-image").toAbsolutePath();
  private static final String KUBECONFIG_DIR = "/var/run/sluice";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void theImageRunsTheControllerAsUser65532OnAReadOnlyRootAndARolloutBecomesHealthy(
      LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) throws Exception {
    assertThat(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))
        .as("the sandbox (mount namespaces, chroot) needs root, as a container runtime does").isEqualTo(0);
    OciImage image = OciImage.read(Path.of(System.getProperty("sluice.controllerImage")), fresh(WORK.resolve("layout")));
    Path rootfs = fresh(WORK.resolve("rootfs"));
    image.unpack(rootfs);
    System.out.printf("[image] %s: %d layers, %.1f MB compressed, %.1f MB unpacked, user %s%n[image] entrypoint %s%n",
        image.name(), image.layers().size(), image.compressedBytes() / 1e6, du(rootfs) / 1e6, image.user(), image.entrypoint());

    assertThat(image.name()).isEqualTo("ghcr.io/sluice-dev/sluice-controller:" + System.getProperty("sluice.version"));
    assertThat(image.user()).isEqualTo("65532:65532");
    assertThat(image.cmd()).as("a Deployment's args are the controller's flags").isEmpty();
    assertThat(image.entrypoint()).as("JVM options from the one options file").contains("@/app/jvm.options");
    assertThat(rootfs.resolve("app/jvm.options")).as("the image's JVM options are the repository's, which bench/scale and"
        + " the e2e tests use too").hasSameTextualContentAs(Path.of(System.getProperty("sluice.repoRoot"),
        "controller/src/main/jib/app/jvm.options"));

    var rollouts = new Rollouts(k8s, ns.name());
    // there before the controller starts: its first reconcile writes the first status
    rollouts.create(Rollouts.manifest("boxed", 3, "registry.example/app:1.0", "", "",
        "- setWeight: 34\n- pause: {duration: 1s}"));

    var sandbox = new ContainerSandbox(rootfs, image.user(), image.env(), "sluice-controller-0", kubeconfigVolume(cluster),
        KUBECONFIG_DIR);
    long started = System.nanoTime();
    ProcessHandle controllerJvm;
    try (var controller = new ControllerProcess(
        sandbox.command(image.entrypoint(), Map.of("POD_NAME", "sluice-controller-0", "POD_NAMESPACE", ns.name())),
        KUBECONFIG_DIR + "/kubeconfig", ns.name(), Path.of("target", "controller-logs", "image.log"))) {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
          .failFast("the controller exited (target/controller-logs/image.log)", () -> !controller.alive())
          .until(() -> ready(controller));
      long ready = System.nanoTime();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> rollouts.status("boxed") != null && rollouts.status("boxed").phase() != null);
      long reconciled = System.nanoTime();
      System.out.printf("[image] process start -> /readyz 200: %d ms; -> first status written: %d ms%n",
          (ready - started) / 1_000_000, (reconciled - started) / 1_000_000);

      controllerJvm = controllerIn(controller, rootfs)
          .orElseThrow(() -> new AssertionError("no process runs in " + rootfs + ":\n" + controller.output()));
      String status = Files.readString(Path.of("/proc", Long.toString(controllerJvm.pid()), "status"));
      assertThat(status).containsPattern("(?m)^Uid:\\s+65532\\s+65532\\s+65532\\s+65532$")
          .containsPattern("(?m)^Gid:\\s+65532\\s+65532\\s+65532\\s+65532$");
      assertThat(rootMountOptions(controllerJvm)).as("the root file system as the controller sees it").contains("ro");
      assertThat(threadNames(controllerJvm)).as("the options file was read: the serial collector, no G1 threads")
          .isNotEmpty().noneMatch(name -> name.startsWith("G1 "));

      awaitHealthy(rollouts, "boxed");
      rollouts.setImage("boxed", "registry.example/app:2.0");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> Integer.valueOf(1).equals(rollouts.status("boxed").currentStepIndex()));
      RolloutStatus healthy = awaitHealthy(rollouts, "boxed");
      System.out.println("[image] rollout boxed: " + healthy.phase() + ", stable " + healthy.stableRS()
          + ", step " + healthy.currentStepIndex() + ", " + healthy.availableReplicas() + " available");

      assertThat(healthy.stableRS()).isEqualTo(healthy.currentPodHash());
      assertThat(rollouts.readyPodsByHash("boxed")).containsOnlyKeys(healthy.currentPodHash());
      assertThat(controller.alive()).isTrue();
      assertThat(controller.output()).as("what a module or library missing from the image shows as")
          .doesNotContain("NoClassDefFoundError", "ClassNotFoundException", "UnsatisfiedLinkError");
    }
    // SIGTERM, as the kubelet sends it to the container's PID 1: the JVM runs its shutdown hooks and exits
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> !controllerJvm.isAlive());
  }

  private static RolloutStatus awaitHealthy(Rollouts rollouts, String name) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
      RolloutStatus s = rollouts.status(name);
      return s != null && hasCondition(s, "Healthy", "True") && "Healthy".equals(s.phase());
    });
    return rollouts.status(name);
  }

  /** The kubeconfig as a secret volume would hold it: readable by the controller's user only. */
  private static Path kubeconfigVolume(LocalCluster cluster) throws IOException {
    Path dir = fresh(WORK.resolve("kubeconfig"));
    Path file = Files.copy(cluster.kubeconfig(), dir.resolve("kubeconfig"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    Files.setAttribute(file, "unix:uid", 65532);
    Files.setAttribute(file, "unix:gid", 65532);
    return dir;
  }

  private static boolean ready(ControllerProcess controller) {
    var port = controller.healthPort();
    if (port.isEmpty()) return false;
    try {
      var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt() + "/readyz")).build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The process whose root directory is {@code rootfs}: the controller, under unshare and chroot. */
  private static Optional<ProcessHandle> controllerIn(ControllerProcess controller, Path rootfs) throws IOException {
    Path root = rootfs.toRealPath();
    return controller.handle().descendants().filter(p -> {
      try {
        return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "root")).equals(root);
      } catch (IOException e) {
        return false;
      }
    }).findFirst();
  }

  /** The options of the mount at "/" in the process's own view (its mountinfo is relative to its root). */
  private static List<String> rootMountOptions(ProcessHandle process) throws IOException {
    return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "mountinfo")).stream()
        .map(line -> line.split(" "))
        .filter(fields -> fields[4].equals("/"))
        .reduce((first, second) -> second) // the last mount at "/" is the one on top
        .map(fields -> List.of(fields[5].split(",")))
        .orElseThrow();
  }

  /** The names of the process's threads, as the kernel has them (a JVM names its GC threads after the collector). */
  private static List<String> threadNames(ProcessHandle process) throws IOException {
    try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
      return tasks.map(task -> {
        try {
          return Files.readString(task.resolve("comm")).strip();
        } catch (IOException gone) {
          return ""; // the thread ended meanwhile
        }
      }).filter(name -> !name.isEmpty()).toList();
    }
  }

  private static Path fresh(Path dir) throws IOException {
    if (Files.exists(dir)) OciImage.run(List.of("rm", "-rf", dir.toString()));
    return Files.createDirectories(dir);
  }

  private static long du(Path dir) {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
