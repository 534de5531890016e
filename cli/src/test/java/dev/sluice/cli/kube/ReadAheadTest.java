package dev.sluice.cli.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class ReadAheadTest {
  private static final String ROLLOUT = """
      {"apiVersion": "sluice.dev/v1alpha1", "kind": "Rollout", "metadata": {"name": "web", "namespace": "shop", "generation": 3},
       "spec": {"replicas": 4, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "web:2"}]}},
                "strategy": {"canary": {"steps": [{"setWeight": 25}, {"pause": {}}]}}},
       "status": {"phase": "Paused", "currentStepIndex": 1, "observedGeneration": 3}}
      """;

  @Test
  void connectionsShareThePreparedMappingWhichReadsAsFabric8sDefault() {
    ReadAhead.start();
    KubernetesSerialization prepared = ReadAhead.serialization();
    assertThat(ReadAhead.serialization()).isSameAs(prepared);
    Rollout read = prepared.unmarshal(ROLLOUT, Rollout.class);
    assertThat(read.getSpec().template().getSpec().getContainers().get(0).getImage()).isEqualTo("web:2");
    assertThat(read).usingRecursiveComparison().isEqualTo(new KubernetesSerialization().unmarshal(ROLLOUT, Rollout.class));
  }
}
