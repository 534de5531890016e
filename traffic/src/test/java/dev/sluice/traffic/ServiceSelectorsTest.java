package dev.sluice.traffic;

import static dev.sluice.traffic.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Test;

class ServiceSelectorsTest {
  private static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata: {name: demo-canary, namespace: shop}
      spec:
        selector: {app: demo}
        ports: [{port: 80}]
      """;

  @Test
  void pinningAddsTheHashAndKeepsTheUsersSelector() {
    Service service = parse(SERVICE, Service.class);

    Service pinned = ServiceSelectors.pinned(service, "abc123");

    assertThat(pinned.getSpec().getSelector()).containsOnly(
        org.assertj.core.api.Assertions.entry("app", "demo"),
        org.assertj.core.api.Assertions.entry("sluice.dev/pod-template-hash", "abc123"));
    assertThat(ServiceSelectors.pinnedHash(pinned)).isEqualTo("abc123");
    assertThat(ServiceSelectors.pinnedHash(service)).isNull();
    assertThat(service.getSpec().getSelector()).doesNotContainKey("sluice.dev/pod-template-hash");
  }

  @Test
  void repinningMovesTheHash() {
    Service pinned = ServiceSelectors.pinned(ServiceSelectors.pinned(parse(SERVICE, Service.class), "old"), "new");

    assertThat(ServiceSelectors.pinnedHash(pinned)).isEqualTo("new");
    assertThat(pinned.getSpec().getSelector()).hasSize(2);
  }
}
