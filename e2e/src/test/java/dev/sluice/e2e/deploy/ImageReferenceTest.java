package dev.sluice.e2e.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** deploy/ installs the image this build makes: same name, the project's version as tag, only args. */
class ImageReferenceTest {
  private static final Path REPO = Path.of(System.getProperty("sluice.repoRoot", "..")).toAbsolutePath().normalize();

  @Test
  void theDeploymentRunsThisVersionsImageAndPassesOnlyArgs() throws IOException {
    JsonNode deployment = Manifests.parse(Files.readString(REPO.resolve("deploy/base/deployment.yaml")))
        .get("Deployment", "sluice-controller");
    JsonNode container = deployment.at("/spec/template/spec/containers/0");

    assertThat(container.path("image").asText())
        .isEqualTo("ghcr.io/sluice-dev/sluice-controller:" + System.getProperty("sluice.version"));
    assertThat(container.has("command")).as("the image's entrypoint starts the controller").isFalse();
    assertThat(container.path("args").isArray()).isTrue();
    assertThat(deployment.at("/spec/template/spec/securityContext/runAsUser").asInt()).as("the image's user").isEqualTo(65532);
  }
}
