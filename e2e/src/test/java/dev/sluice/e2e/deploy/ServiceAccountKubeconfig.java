package dev.sluice.e2e.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** A kubeconfig that acts as a service account: the cluster's, with a freshly minted token as the only credential. */
final class ServiceAccountKubeconfig {
  private ServiceAccountKubeconfig() {}

  /**
   * @param admin the cluster's kubeconfig (server address and CA are kept, its credentials dropped)
   * @param target where the new kubeconfig is written
   */
  static Path write(KubernetesClient client, String namespace, String serviceAccount, Path admin, Path target) {
    // the TokenRequest API, as the kubelet does for a pod's projected token
    String token = client.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
    YAMLMapper yaml = new YAMLMapper();
    try {
      JsonNode config = yaml.readTree(admin.toFile());
      for (JsonNode user : config.path("users")) {
        ((ObjectNode) user).putObject("user").put("token", token);
      }
      yaml.writeValue(target.toFile(), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }
}
