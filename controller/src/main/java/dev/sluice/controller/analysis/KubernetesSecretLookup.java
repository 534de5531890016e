package dev.sluice.controller.analysis;

import dev.sluice.analysis.args.SecretLookup;
import dev.sluice.analysis.args.SecretLookupException;
import dev.sluice.analysis.args.SecretUnavailableException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads Secrets of the run's own namespace straight from the API server (the controller keeps no
 * Secret cache). A missing Secret or key, or no permission to read it, is a {@link SecretLookupException}
 * naming it; any other failure (the API server unavailable, a 5xx, a timeout) is a
 * {@link SecretUnavailableException}, retried later rather than counted as a measurement error.
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
      throw new SecretUnavailableException("Secret \"" + secretName + "\" in namespace \"" + namespace + "\" could not be read now ("
          + (e.getCode() > 0 ? "HTTP " + e.getCode() : e.getCause() == null ? "no answer" : e.getCause().getClass().getSimpleName()) + "); trying again");
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
