package dev.sluice.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JudgeTextTest {

  @Test
  void summarisesAJudgesValue() {
    assertThat(JudgeText.of("{\"verdict\":\"continue\",\"canary\":{\"n\":0,\"mean\":null},\"baseline\":{\"n\":4,\"mean\":0.01},\"effect\":null}"))
        .contains("continue: canary - (n=0) vs baseline 0.01000 (n=4)");
    assertThat(JudgeText.of("{\"verdict\":\"pass\",\"canary\":{\"n\":30,\"mean\":0.0098},\"baseline\":{\"n\":30,\"mean\":0.01},\"effect\":-0.02,\"evidence\":0.1}"))
        .contains("pass: canary 0.009800 (n=30) vs baseline 0.01000 (n=30), effect -2.0%");
  }

  @Test
  void leavesOtherValuesAlone() {
    assertThat(JudgeText.of("[0.97]")).isEmpty();
    assertThat(JudgeText.of("{\"verdict\":\"ok\"}")).isEmpty();
    assertThat(JudgeText.of(null)).isEmpty();
  }
}
