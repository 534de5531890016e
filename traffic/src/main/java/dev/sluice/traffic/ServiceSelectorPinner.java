package dev.sluice.traffic;

import dev.sluice.api.SluiceLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;

/** Writes a Service's pod-template-hash selector, only when it differs; the rest of the selector stays. */
public final class ServiceSelectorPinner {
  private static final PatchContext MERGE = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build();

  private final KubernetesClient client;

  public ServiceSelectorPinner(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Points Service {@code name} at the pods with {@code hash}.
   *
   * @return true when the selector was changed, false when it already pointed there
   */
  public boolean pin(String namespace, String name, String hash) {
    Service service = ApiErrors.call("read", "Service " + name, namespace,
        () -> client.services().inNamespace(namespace).withName(name).get());
    if (service == null) {
      throw TrafficRoutingException.notFound("Service " + name + " not found in namespace " + namespace);
    }
    if (hash.equals(ServiceSelectors.pinnedHash(service))) {
      return false;
    }
    String patch = JsonTrees.toTree(Map.of("spec", Map.of("selector", Map.of(SluiceLabels.POD_TEMPLATE_HASH, hash)))).toString();
    ApiErrors.call("update", "Service " + name, namespace,
        () -> client.services().inNamespace(namespace).withName(name).patch(MERGE, patch));
    return true;
  }
}
