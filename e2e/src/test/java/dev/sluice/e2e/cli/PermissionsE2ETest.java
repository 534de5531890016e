package dev.sluice.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A user whose RBAC lets them read rollouts but not change them gets one clear line, never their token. */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionsE2ETest {
  private KubectlSluice reader;
  private RolloutFixtures fixtures;
  private String token;
  private String namespace;

  @BeforeAll
  void readOnlyUser(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns, @TempDir Path dir) throws IOException {
    namespace = ns.name();
    fixtures = new RolloutFixtures(k8s, namespace);
    token = RolloutReader.token(k8s, namespace);
    reader = new KubectlSluice(kubeconfigWithToken(cluster.kubeconfig(), token, dir.resolve("reader.kubeconfig")), namespace);
  }

  /** The cluster's kubeconfig with every user replaced by the service account's token. */
  private static Path kubeconfigWithToken(Path admin, String token, Path target) throws IOException {
    YAMLMapper yaml = new YAMLMapper();
    JsonNode config = yaml.readTree(admin.toFile());
    for (JsonNode user : config.path("users")) {
      ((ObjectNode) user).putObject("user").put("token", token);
    }
    yaml.writeValue(target.toFile(), config);
    return target;
  }

  @Test
  void readingWorks() {
    fixtures.create("readable", "registry.example/app:1", "");

    KubectlSluice.Result result = reader.run("get", "rollout", "readable");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("Name:          readable\n");
  }

  @Test
  void changingIsForbiddenInOneLine() {
    fixtures.create("not-yours", "registry.example/app:1", "");

    KubectlSluice.Result promote = reader.run("promote", "not-yours");
    KubectlSluice.Result pause = reader.run("pause", "not-yours");

    assertThat(promote.errLines()).singleElement().asString()
        .startsWith("error: forbidden: ")
        .contains("system:serviceaccount:" + namespace + ":reader", "cannot patch resource \"rollouts/status\"");
    assertThat(pause.errLines()).singleElement().asString()
        .startsWith("error: forbidden: ").contains("cannot patch resource \"rollouts\"");
    assertThat(promote.exitCode()).isEqualTo(1);
    assertThat(pause.exitCode()).isEqualTo(1);
    assertThat(promote.err() + promote.out() + pause.err() + pause.out()).doesNotContain(token);
    assertThat(fixtures.get("not-yours").getSpec().paused()).isNull();
  }

  @Test
  void listingAllNamespacesIsForbiddenInOneLine() {
    KubectlSluice.Result result = reader.run("list", "rollouts", "-A");

    assertThat(result.errLines()).singleElement().asString()
        .startsWith("error: forbidden: ").contains("cannot list resource \"rollouts\"", "at the cluster scope");
    assertThat(result.exitCode()).isEqualTo(1);
  }
}
