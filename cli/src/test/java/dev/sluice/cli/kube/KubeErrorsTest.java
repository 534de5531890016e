package dev.sluice.cli.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubeErrorsTest {
  private static final String SERVER = "https://127.0.0.1:6443/";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      401 | Unauthorized | unauthorized: the Kubernetes API server at https://127.0.0.1:6443 rejected the credentials of the kubeconfig
      403 | rollouts.sluice.dev "web" is forbidden: User "bob" cannot patch resource "rollouts/status" in API group "sluice.dev" in the namespace "shop" | forbidden: rollouts.sluice.dev "web" is forbidden: User "bob" cannot patch resource "rollouts/status" in API group "sluice.dev" in the namespace "shop"
      404 | the server could not find the requested resource | not found: the server could not find the requested resource (are the Sluice CRDs installed? kubectl apply --server-side -f crds/)
      409 | Operation cannot be fulfilled on rollouts.sluice.dev "web": the object has been modified | conflict: Operation cannot be fulfilled on rollouts.sluice.dev "web": the object has been modified (someone changed it at the same time; try again)
      422 | Rollout.sluice.dev "web" is invalid: spec.replicas: Invalid value: -1 | rejected by the API server: Rollout.sluice.dev "web" is invalid: spec.replicas: Invalid value: -1
      """)
  void apiServerAnswersBecomeOneLine(int code, String message, String expected) {
    var e = new KubernetesClientException(new StatusBuilder().withCode(code).withMessage(message).build());

    assertThat(KubeErrors.describe(e, SERVER)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      connection refused | cannot connect to the Kubernetes API server at https://127.0.0.1:6443: connection refused (is the cluster running, and is this the right context?)
      """)
  void networkFailuresNameTheServer(String what, String expected) {
    var e = new KubernetesClientException("An error has occurred.", new RuntimeException(new ConnectException("Connection refused")));

    assertThat(KubeErrors.describe(e, SERVER)).isEqualTo(expected);
  }

  @Test
  void aTimeoutSaysWhichServerAndWhichFlagWhateverTimedOut() {
    var client = new KubernetesClientException("An error has occurred.", new TimeoutException());
    var socket = new KubernetesClientException("Failure executing: GET at: " + SERVER + ".", new SocketTimeoutException("Read timed out"));

    assertThat(KubeErrors.describe(client, SERVER)).isEqualTo(KubeErrors.describe(socket, SERVER))
        .isEqualTo("no answer from the Kubernetes API server at https://127.0.0.1:6443 in time (--request-timeout, default 10s)");
  }

  @Test
  void aTimeoutIsATimeoutWhateverTheClosedConnectionUnderItSays() {
    var timeout = new HttpTimeoutException("request timed out");
    timeout.initCause(new IOException("connection closed locally"));
    var underTheTimeout = new KubernetesClientException("An error has occurred.", timeout);
    var insteadOfTheTimeout = new KubernetesClientException("An error has occurred.", new IOException("connection closed locally"));

    assertThat(KubeErrors.describe(underTheTimeout, SERVER)).isEqualTo(KubeErrors.describe(insteadOfTheTimeout, SERVER))
        .isEqualTo("no answer from the Kubernetes API server at https://127.0.0.1:6443 in time (--request-timeout, default 10s)");
  }
}
