package dev.sluice.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.CanaryStep;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.cli.yaml.YamlDocuments;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StepTextTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      '{setWeight: 20}'                                                  | setWeight 20
      '{pause: {}}'                                                      | pause (until promoted)
      '{pause: {duration: 90}}'                                          | pause 90s
      '{pause: {duration: 1h30m}}'                                       | pause 1h30m
      '{setCanaryScale: {replicas: 2}}'                                  | setCanaryScale replicas 2
      '{setCanaryScale: {weight: 40}}'                                   | setCanaryScale weight 40
      '{setCanaryScale: {matchTrafficWeight: true}}'                     | setCanaryScale matchTrafficWeight
      '{analysis: {templates: [{templateName: a}, {templateName: b}]}}'  | analysis a, b
      '{setHeaderRoute: {name: beta, match: [{headerName: x, headerValue: {exact: y}}]}}' | setHeaderRoute beta
      '{setHeaderRoute: {name: beta}}'                                   | setHeaderRoute beta (remove)
      '{setMirrorRoute: {name: copy, percentage: 30, match: [{path: {prefix: /}}]}}' | setMirrorRoute copy 30%
      '{}'                                                               | (empty step)
      """)
  void describesEachKindOfStep(String step, String text) throws JsonProcessingException {
    assertThat(StepText.describe(YamlDocuments.mapper().readValue(step, CanaryStep.class))).isEqualTo(text);
  }
}
