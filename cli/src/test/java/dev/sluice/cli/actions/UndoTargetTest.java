package dev.sluice.cli.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cli.CliException;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UndoTargetTest {

  private static ReplicaSet rs(String hash, String revision, String image) {
    return new ReplicaSetBuilder()
        .withNewMetadata().withName("web-" + hash).addToLabels("app", "web").addToLabels("sluice.dev/pod-template-hash", hash)
        .addToAnnotations("sluice.dev/revision", revision).endMetadata()
        .withNewSpec().withReplicas(1)
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").addToLabels("sluice.dev/pod-template-hash", hash)
        .addToAnnotations("team", "shop").endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec().endTemplate()
        .endSpec().build();
  }

  private static final List<ReplicaSet> HISTORY = List.of(rs("aaa", "1", "img:1"), rs("ccc", "3", "img:3"), rs("bbb", "2", "img:2"));

  /** the current pod hash, the --to-revision asked for (0 = none), and the revision undo goes back to */
  @ParameterizedTest(name = "current {0}, --to-revision {1} -> revision {2}")
  @CsvSource(textBlock = """
      ccc, 0, 2
      bbb, 0, 1
      ,    0, 2
      ccc, 1, 1
      ccc, 3, 3
      """)
  void choosesTheRevision(String currentHash, long toRevision, long expected) {
    ReplicaSet chosen = UndoTarget.choose("web", HISTORY, currentHash, toRevision == 0 ? OptionalLong.empty() : OptionalLong.of(toRevision));

    assertThat(UndoTarget.revision(chosen)).hasValue(expected);
  }

  @Test
  void aMissingRevisionIsNamedWithTheOnesThatExist() {
    assertThatThrownBy(() -> UndoTarget.choose("web", HISTORY, "ccc", OptionalLong.of(7)))
        .isInstanceOf(CliException.class).hasMessage("rollout \"web\" has no revision 7 (revisions: 1, 2, 3)");
  }

  @Test
  void theFirstRevisionHasNothingBeforeIt() {
    assertThatThrownBy(() -> UndoTarget.choose("web", HISTORY, "aaa", OptionalLong.empty()))
        .isInstanceOf(CliException.class).hasMessage("rollout \"web\" has no revision before 1 to go back to (revisions: 1, 2, 3)");
  }

  @Test
  void theTemplateComesBackWithoutTheHashLabelAndOtherwiseUnchanged() {
    ReplicaSet second = HISTORY.get(2);

    var template = UndoTarget.template(second);

    assertThat(template.getMetadata().getLabels()).containsExactly(Map.entry("app", "web"));
    assertThat(template.getMetadata().getAnnotations()).containsEntry("team", "shop");
    assertThat(template.getSpec()).isEqualTo(second.getSpec().getTemplate().getSpec());
    assertThat(second.getSpec().getTemplate().getMetadata().getLabels()).as("the ReplicaSet itself is untouched")
        .containsKey("sluice.dev/pod-template-hash");
  }
}
