package dev.sluice.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SluiceControllerTest {

  @Test
  void aNewControllerStartsItsReconcileThreadsOnce() {
    // nothing listens there: a controller that is not started makes no request
    var config = new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build();
    try (var client = new KubernetesClientBuilder().withConfig(config).build()) {
      Set<Thread> before = Thread.getAllStackTraces().keySet();

      try (var controller = new SluiceController(client, new SluiceController.Options(Set.of(), null, null), Clock.systemUTC())) {
        var started = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t)).toList();

        // the reconcile pool's threads are prestarted; every other thread only comes with start()
        assertThat(started).hasSize(SluiceController.RECONCILE_THREADS);
      }
    }
  }
}
