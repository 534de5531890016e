package dev.sluice.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.AnalysisTemplate;
import dev.sluice.api.v1alpha1.AnalysisTemplateSpec;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.validation.RolloutValidation;
import dev.sluice.controller.plan.Observed.ObservedTemplates;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifests in examples/ are ones the planner accepts: a valid spec, templates that make runs,
 * and the Deployment a workloadRef names, with pods the selector matches.
 */
class ExamplesTest {
  private static final Path EXAMPLES = Path.of("..", "examples");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyRolloutIsValidAndItsAnalysisTemplatesAreInTheSameFile(Path example) throws IOException {
    List<HasMetadata> objects;
    KubernetesSerialization serialization = new KubernetesSerialization();
    serialization.registerKubernetesResource(Rollout.class);
    serialization.registerKubernetesResource(AnalysisTemplate.class);
    try (InputStream in = Files.newInputStream(example)) {
      objects = serialization.unmarshal(in);
    }
    Map<String, AnalysisTemplateSpec> templates = new HashMap<>();
    objects.stream().filter(o -> o instanceof AnalysisTemplate).map(o -> (AnalysisTemplate) o)
        .forEach(t -> templates.put(t.getMetadata().getName(), t.getSpec()));
    List<Rollout> rollouts = objects.stream().filter(o -> o instanceof Rollout).map(o -> (Rollout) o).toList();

    assertThat(rollouts).isNotEmpty();
    for (Rollout rollout : rollouts) {
      assertThat(RolloutValidation.validate(rollout.getSpec())).as(example + ": " + rollout.getMetadata().getName()).isEmpty();
      assertThat(AnalysisRunSpecs.problem(rollout.getSpec(), new ObservedTemplates(templates, Map.of()), "default"))
          .as(example + ": analysis of " + rollout.getMetadata().getName()).isEmpty();
      var deployment = objects.stream().filter(o -> o instanceof Deployment).map(o -> (Deployment) o)
          .filter(d -> rollout.getSpec().workloadRef() != null && d.getMetadata().getName().equals(rollout.getSpec().workloadRef().name()))
          .findFirst()
          .map(d -> new Observed.ObservedDeployment(d.getMetadata().getName(), d.getSpec().getTemplate().getMetadata().getLabels(),
              d.getSpec().getReplicas()));
      assertThat(WorkloadReference.problem(rollout.getSpec(), "default", deployment))
          .as(example + ": the Deployment " + rollout.getMetadata().getName() + " names, in the same file").isEmpty();
    }
  }
}
