package dev.sluice.e2e.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Reads route objects back from the API server, as a user with kubectl would see them. */
final class StoredObjects {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final KubernetesClient k8s;
  private final String namespace;

  StoredObjects(KubernetesClient k8s, String namespace) {
    this.k8s = k8s;
    this.namespace = namespace;
  }

  GenericKubernetesResource get(String apiVersion, String kind, String name) {
    return k8s.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(name).get();
  }

  JsonNode tree(String apiVersion, String kind, String name) {
    GenericKubernetesResource resource = get(apiVersion, kind, name);
    if (resource == null) {
      throw new AssertionError(kind + " " + name + " is not stored in namespace " + namespace);
    }
    return MAPPER.valueToTree(resource);
  }

  /** Creates an object from YAML in the test namespace. */
  void create(String yaml) {
    k8s.resource(yaml).inNamespace(namespace).create();
  }

  static JsonNode yaml(String yaml) {
    try {
      return new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(yaml);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
