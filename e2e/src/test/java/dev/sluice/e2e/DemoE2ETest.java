package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** README's first command: dev/demo runs to the end on the local cluster and tells the story it promises. */
@RealCluster
class DemoE2ETest {

  @Test
  void demoRollsOutPromotesAndAbortsABadRelease(LocalCluster cluster) throws IOException, InterruptedException {
    Path log = Files.createTempFile("sluice-demo", ".log");
    try {
      // the build already made the controller jar; the demo builds it itself when run by hand
      ProcessBuilder demo = new ProcessBuilder("dev/demo").directory(cluster.repoRoot().toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      demo.environment().put("SLUICE_DEMO_SKIP_BUILD", "1");
      Process p = demo.start();
      boolean finished = p.waitFor(5, TimeUnit.MINUTES);
      if (!finished) p.destroyForcibly();
      String out = Files.readString(log, StandardCharsets.UTF_8);
      System.out.println(out);

      assertThat(finished).as("the demo finishes on its own").isTrue();
      assertThat(p.exitValue()).as("demo exit code; output:\n" + out).isZero();
      assertThat(out)
          .contains("step 1/4  Paused     canary weight 20")
          .contains("step 3/4  Paused     canary weight 50")
          .contains("step 4/4  Healthy")
          .contains("ProgressDeadlineExceeded")
          .contains("RolloutAborted");
      assertThat(cluster.kubectl("get", "namespaces")).as("the demo cleans up after itself")
          .doesNotContainPattern("sluice-demo\\s+Active");
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
