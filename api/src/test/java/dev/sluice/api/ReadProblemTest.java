package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.v1alpha1.Rollout;
import org.junit.jupiter.api.Test;

class ReadProblemTest {
  private final ObjectMapper json = new ObjectMapper();

  private ReadProblem reading(String rollout) {
    return ReadProblem.of(catchThrowableOfType(JsonMappingException.class, () -> json.readValue(rollout, Rollout.class)));
  }

  @Test
  void aNumberBeyondAnIntIsNamedByItsPathWithTheValue() {
    ReadProblem problem = reading("{\"metadata\":{\"name\":\"web\"},\"status\":{\"replicas\":9000000000}}");

    assertThat(problem.path()).isEqualTo("status.replicas");
    assertThat(problem.pointer()).isEqualTo("/status/replicas");
    assertThat(problem.toString()).startsWith("status.replicas: Numeric value (9000000000) out of range of int");
  }

  @Test
  void anIntOrStringTooBigIsNamedWithoutJavaPackageNamesAndStepsAreCounted() {
    ReadProblem problem = reading("{\"spec\":{\"strategy\":{\"canary\":{\"steps\":[{\"setWeight\":5},{\"pause\":{\"duration\":9000000000}}]}}}}");

    assertThat(problem.path()).isEqualTo("spec.strategy.canary.steps[1].pause.duration");
    assertThat(problem.pointer()).isEqualTo("/spec/strategy/canary/steps/1/pause/duration");
    assertThat(problem.message()).doesNotContain("io.fabric8").doesNotContain("`").contains("IntOrString");
  }
}
