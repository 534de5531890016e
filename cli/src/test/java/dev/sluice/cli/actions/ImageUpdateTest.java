package dev.sluice.cli.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cli.CliException;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageUpdateTest {
  private static final PodSpec POD = new PodSpecBuilder()
      .addNewInitContainer().withName("migrate").withImage("migrate:1").endInitContainer()
      .addNewContainer().withName("sidecar").withImage("proxy:1").endContainer()
      .addNewContainer().withName("app").withImage("app:1").endContainer()
      .build();

  @Test
  void replacesTheNamedContainersImageGuardedByItsName() {
    String patch = ImageUpdate.jsonPatch("web", POD, List.of(Map.entry("app", "app:2"), Map.entry("migrate", "migrate:2")));

    assertThat(patch).isEqualTo("["
        + "{\"op\":\"test\",\"path\":\"/spec/template/spec/containers/1/name\",\"value\":\"app\"},"
        + "{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/1/image\",\"value\":\"app:2\"},"
        + "{\"op\":\"test\",\"path\":\"/spec/template/spec/initContainers/0/name\",\"value\":\"migrate\"},"
        + "{\"op\":\"replace\",\"path\":\"/spec/template/spec/initContainers/0/image\",\"value\":\"migrate:2\"}]");
  }

  @Test
  void anUnknownContainerIsNamedWithTheOnesThatExist() {
    assertThatThrownBy(() -> ImageUpdate.jsonPatch("web", POD, List.of(Map.entry("web", "x:1"))))
        .isInstanceOf(CliException.class)
        .hasMessage("rollout \"web\" has no container \"web\" (containers: sidecar, app, migrate (init))");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      app=registry.example/app:2.0          | app | registry.example/app:2.0
      app=registry.example:5000/app@sha256:ab | app | registry.example:5000/app@sha256:ab
      """)
  void parsesContainerEqualsImage(String assignment, String container, String image) {
    assertThat(ImageUpdate.parse(assignment)).isEqualTo(Map.entry(container, image));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(textBlock = """
      app
      =img
      app=
      """)
  void rejectsAnythingElse(String assignment) {
    assertThatThrownBy(() -> ImageUpdate.parse(assignment)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected CONTAINER=IMAGE, got \"" + assignment + "\"");
  }
}
