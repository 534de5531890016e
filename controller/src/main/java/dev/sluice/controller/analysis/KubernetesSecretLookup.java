package dev.sluice.controller.analysis;

import dev.sluice.analysis.args.SecretLookup;
import dev.sluice.analysis.args.SecretLookupException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads Secrets of the run's own namespace straight from the API server (the controller keeps no
 * Secret cache). A missing Secret or key, or no permission to read it, is a {@link SecretLookupException}
 * naming it; a transient API failure propagates so the reconcile is retried.
 */
final class KubernetesSecretLookup implements SecretLookup {
  private final KubernetesClient client;
  private final String namespace;

  KubernetesSecretLookup(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  @Override
  public String value(String secretName, String key) {
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(secretName).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw new SecretLookupException("no permission to read Secret \"" + secretName + "\" in namespace \"" + namespace + "\"");
      }
      throw e;
    }
    if (secret == null) {
      throw new SecretLookupException("Secret \"" + secretName + "\" not found in namespace \"" + namespace + "\"");
    }
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
    if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
      return secret.getStringData().get(key);
    }
    throw new SecretLookupException("Secret \"" + secretName + "\" in namespace \"" + namespace + "\" has no key \"" + key + "\"");
  }
}
