package dev.sluice.controller.plan;

import static dev.sluice.controller.plan.SpecBuilder.pause;
import static dev.sluice.controller.plan.SpecBuilder.setWeight;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A spec the shared rules refuse, as the planner shows it: InvalidSpec and phase Degraded with the
 * first problem, and nothing touched. Every rule and its wording is in the api module's table
 * (dev.sluice.api.validation.RolloutValidationTest); these are samples, and the rules lint had first.
 */
class InvalidSpecTest {

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        invalid("setWeight above 100", s -> s.steps(setWeight(10), pause("1m"), setWeight(150)),
            "spec.strategy.canary.steps[2].setWeight: must be between 0 and 100, got 150"),
        invalid("restartAt not a time", s -> s.restartAt = "tomorrow",
            "spec.restartAt: must be an RFC 3339 time such as 2024-05-01T10:00:00Z, got \"tomorrow\""),
        invalid("restartAt with a nine-digit year", s -> s.restartAt = "+999999999-12-31T23:59:59Z",
            "spec.restartAt: must be an RFC 3339 time with a four-digit year, got \"+999999999-12-31T23:59:59Z\""),
        invalid("a pause longer than any clock can add", s -> s.steps(setWeight(10), pause("99999999999999999s")),
            "spec.strategy.canary.steps[1].pause.duration: invalid duration \"99999999999999999s\": too large, at most 87600h (10 years)"),
        invalid("same canary and stable Service", s -> {
              s.canaryService = "web";
              s.stableService = "web";
            },
            "spec.strategy.canary.canaryService: must differ from stableService, both are \"web\""),
        invalid("maxUnavailable above 100%", s -> s.maxUnavailable = new IntOrString("150%"),
            "spec.strategy.canary.maxUnavailable: must not be above 100%, got 150%"),
        invalid("a pod template without containers",
            s -> s.template = new PodTemplateSpecBuilder(s.template).editSpec().withContainers(List.of()).endSpec().build(),
            "spec.template.spec.containers: at least one container is required"),
        invalid("a container without an image",
            s -> s.template = new PodTemplateSpecBuilder(s.template).editSpec().editFirstContainer().withImage(null).endContainer()
                .endSpec().build(),
            "spec.template.spec.containers[0].image: required"),
        invalid("negative scaleDownDelayRevisionLimit without a router", s -> s.scaleDownDelayRevisionLimit = -1,
            "spec.strategy.canary.scaleDownDelayRevisionLimit: must be 0 or more, got -1"),
        invalid("several problems: the first is shown", s -> {
              s.replicas = -1;
              s.steps(setWeight(150));
            },
            "spec.replicas: must be 0 or more, got -1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void anInvalidSpecGetsInvalidSpecNamingTheFieldAndNothingIsTouched(String what, Consumer<SpecBuilder> edit, String message) {
    FakeCluster c = new FakeCluster();
    c.settle();
    RolloutStatus healthy = c.status;
    edit.accept(c.spec);
    c.newTemplate("bbb");

    Plan plan = c.reconcile();

    assertThat(plan.actions()).isEmpty();
    assertThat(plan.status().phase()).isEqualTo("Degraded");
    assertThat(plan.status().message()).isEqualTo(message);
    assertThat(plan.status().conditions()).filteredOn(cond -> cond.type().equals("InvalidSpec")).singleElement()
        .satisfies(cond -> {
          assertThat(cond.status()).isEqualTo("True");
          assertThat(cond.reason()).isEqualTo("InvalidSpec");
          assertThat(cond.message()).isEqualTo(message);
        });
    assertThat(plan.status().currentPodHash()).isEqualTo(healthy.currentPodHash());
    assertThat(plan.status().stableRS()).isEqualTo(healthy.stableRS());
    assertThat(plan.events()).extracting(Plan.RolloutEvent::reason).containsExactly("InvalidSpec");
  }

  @Test
  void aValidSpecHasNoProblem() {
    assertThat(RolloutPlanner.specProblem(new SpecBuilder().steps(setWeight(20), pause("1m")).build())).isEmpty();
  }

  private static Arguments invalid(String what, Consumer<SpecBuilder> edit, String message) {
    return Arguments.of(what, edit, message);
  }
}
