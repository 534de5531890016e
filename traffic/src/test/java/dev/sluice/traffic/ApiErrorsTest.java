package dev.sluice.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.traffic.TrafficRoutingException.Reason;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiErrorsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      409 | CONFLICT    | true  | HTTPRoute demo-route in namespace shop changed while Sluice was updating it: will retry
      404 | NOT_FOUND   | false | HTTPRoute demo-route not found in namespace shop
      422 | MALFORMED   | false | HTTPRoute demo-route: the API server rejected Sluice's update: spec.rules: Too many: 17
      403 | API_ERROR   | true  | could not update HTTPRoute demo-route in namespace shop: spec.rules: Too many: 17
      500 | API_ERROR   | true  | could not update HTTPRoute demo-route in namespace shop: spec.rules: Too many: 17
      """)
  void apiServerAnswersBecomeMessagesForTheRollout(int code, Reason reason, boolean retryable, String message) {
    KubernetesClientException failure = new KubernetesClientException(
        new StatusBuilder().withCode(code).withMessage("spec.rules: Too many: 17").build());

    TrafficRoutingException e = ApiErrors.translate("update", "HTTPRoute demo-route", "shop", failure);

    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.retryable()).isEqualTo(retryable);
    assertThat(e).hasMessage(message).hasCause(failure);
  }

  @Test
  void anUnreachableApiServerIsRetryable() {
    KubernetesClientException failure = new KubernetesClientException("Connection refused", 0, null);

    TrafficRoutingException e = ApiErrors.translate("read", "Ingress shop", "shop", failure);

    assertThat(e.reason()).isEqualTo(Reason.API_ERROR);
    assertThat(e.retryable()).isTrue();
    assertThat(e).hasMessage("could not read Ingress shop in namespace shop: Connection refused");
  }
}
