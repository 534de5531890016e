package dev.sluice.analysis.args;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
  @Test
  void masksSecretsAsWrittenAndUrlEncoded() {
    Redactor redactor = Redactor.of(List.of("p@ss word/1"));
    assertThat(redactor.redact("login p@ss word/1 failed at http://h/?key=p%40ss+word%2F1 and p%40ss%20word%2F1"))
        .isEqualTo("login ***** failed at http://h/?key=***** and *****");
  }

  @Test
  void aLongerSecretContainingAShorterOneIsMaskedWhole() {
    Redactor redactor = Redactor.of(List.of("abc", "xxabcxx"));
    assertThat(redactor.redact("token xxabcxx and abc")).isEqualTo("token ***** and *****");
  }

  @Test
  void nothingToMaskLeavesTextAlone() {
    assertThat(Redactor.none().redact("plain")).isEqualTo("plain");
    assertThat(Redactor.of(List.of("", "s")).with(List.of()).redact(null)).isNull();
  }
}
