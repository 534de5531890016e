package dev.sluice.cli.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class YamlDocumentsTest {
  private static final String FILE = """
      # leading comment
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: a}
      ---
      ---
      apiVersion: sluice.dev/v1alpha1
      kind: Rollout
      metadata:
        name: b
        labels:
          sluice.dev/tier: web
      spec:
        strategy:
          canary:
            steps:
            - setWeight: 10
            - pause:
                duration: 30s
      """;

  @Test
  void emptyDocumentsAreLeftOut() {
    List<YamlDocument> documents = YamlDocuments.parse(FILE);

    assertThat(documents).extracting(YamlDocument::label).containsExactly("Service a", "Rollout b");
    assertThat(documents).extracting(YamlDocument::index).containsExactly(0, 1);
  }

  @ParameterizedTest(name = "{0} -> line {1}")
  @CsvSource(textBlock = """
      spec.strategy.canary.steps[0].setWeight,  18
      spec.strategy.canary.steps[1].pause.duration, 20
      spec.strategy.canary.steps[1],            19
      spec.strategy.canary.steps[7].setWeight,  17
      spec.replicas,                            14
      kind,                                     9
      """)
  void eachPathKnowsItsLineOrThatOfTheNearestEnclosingOne(String path, int line) {
    YamlDocument rollout = YamlDocuments.parse(FILE).get(1);

    assertThat(rollout.lineOf(FieldPath.of(path))).hasValue(line);
  }

  @Test
  void keysThatAreNotPlainWordsAreQuotedInPaths() {
    YamlDocument rollout = YamlDocuments.parse(FILE).get(1);
    FieldPath label = FieldPath.root().field("metadata").field("labels").field("sluice.dev/tier");

    assertThat(label).hasToString("metadata.labels[\"sluice.dev/tier\"]");
    assertThat(label.lastField()).isEqualTo("sluice.dev/tier");
    assertThat(rollout.lineOf(label)).hasValue(13);
  }

  @Test
  void aSyntaxErrorNamesItsLine() {
    assertThatThrownBy(() -> YamlDocuments.parse("a: 1\nb: [1, 2\nc: 3\n"))
        .isInstanceOf(YamlDocuments.YamlSyntaxException.class)
        .hasMessageStartingWith("not valid YAML at line 3:");
  }
}
