package dev.sluice.traffic;

import dev.sluice.api.SluiceLabels;
import io.fabric8.kubernetes.api.model.Service;
import java.util.LinkedHashMap;
import java.util.Map;

/** Pins a Service (canaryService/stableService) to the pods of one pod-template-hash. */
public final class ServiceSelectors {
  private ServiceSelectors() {}

  /** A copy of {@code service} whose selector also requires {@code sluice.dev/pod-template-hash: hash}. */
  public static Service pinned(Service service, String hash) {
    Service copy = JsonTrees.copy(service, Service.class);
    Map<String, String> selector = copy.getSpec().getSelector() == null
        ? new LinkedHashMap<>() : new LinkedHashMap<>(copy.getSpec().getSelector());
    selector.put(SluiceLabels.POD_TEMPLATE_HASH, hash);
    copy.getSpec().setSelector(selector);
    return copy;
  }

  /** The hash the Service is pinned to, or null when it is not pinned. */
  public static String pinnedHash(Service service) {
    Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
    return selector == null ? null : selector.get(SluiceLabels.POD_TEMPLATE_HASH);
  }
}
