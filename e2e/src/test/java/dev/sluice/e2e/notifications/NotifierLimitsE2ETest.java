package dev.sluice.e2e.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.controller.notifications.Notifier;
import dev.sluice.controller.plan.Plan;
import dev.sluice.controller.plan.Plan.RolloutEvent;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.Rollouts;
import dev.sluice.e2e.analysis.LocalHttpServer;
import dev.sluice.e2e.analysis.LocalHttpServer.Answer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The notifier's bounds, driven directly (no controller): while a receiver hangs, notifications
 * wait up to the namespace's limit; past it a batch is dropped with a NotificationFailed event, and
 * the reconcile that sent it is not held up. Once the receiver answers, what waited is delivered.
 */
@RealCluster
class NotifierLimitsE2ETest {

  @Test
  void pastTheNamespacesLimitABatchIsDroppedWithAnEventAndWhatWaitedIsStillDelivered(KubernetesClient k8s, TestNamespace ns)
      throws Exception {
    var release = new CountDownLatch(1);
    try (var receiver = new LocalHttpServer(request -> {
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Answer(200, "{}");
    }); var notifier = new Notifier(k8s, ns.name(), new Notifier.Limits(2, 100), Clock.systemUTC())) {
      k8s.resource(new ConfigMapBuilder().withNewMetadata().withName("sluice-notifications").endMetadata()
          .addToData("service.webhook.slow", "url: %s\n".formatted(receiver.url()))
          .addToData("template.updated", "webhook:\n  slow: {body: '{{reason.message}}'}\n")
          .addToData("trigger.on-rollout-updated", "- send: [updated]\n").build()).inNamespace(ns.name()).create();
      new Rollouts(k8s, ns.name()).create(Rollouts.manifest("limited", 1, "registry.example/app:1.0", "", "", "- setWeight: 50")
          .replaceFirst("(?m)^  name: limited$", "  name: limited\n  annotations: {notifications.sluice.dev/subscribe.on-rollout-updated.slow: ''}"));
      Rollout rollout = k8s.resources(Rollout.class).inNamespace(ns.name()).withName("limited").get();

      long started = System.nanoTime();
      for (int revision = 2; revision <= 4; revision++) {
        notifier.send(notifier.prepare(rollout, updatedTo(revision)));
      }
      long sendMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> !events(k8s, ns.name(), "NotificationFailed").isEmpty() && receiver.seen().size() == 1);
      assertThat(events(k8s, ns.name(), "NotificationFailed")).singleElement().extracting(Event::getMessage).isEqualTo(
          "nothing sent: too many notifications waiting (at most 2 per namespace, 100 in all); dropped [on-rollout-updated]");
      System.out.printf("[notifications] 3 batches queued in %d ms while the receiver hung; the third dropped%n", sendMillis);

      release.countDown();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> receiver.seen().size() == 2
          && events(k8s, ns.name(), "NotificationSent").size() == 2);
      assertThat(receiver.seen()).extracting(LocalHttpServer.Seen::body)
          .containsExactly("Rollout updated to revision 2", "Rollout updated to revision 3");
    }
  }

  private static Plan updatedTo(int revision) {
    RolloutStatus status = new RolloutStatus(null, null, null, "hash" + revision, null, 0, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null);
    return new Plan(status, List.of(), List.of(new RolloutEvent(RolloutEvent.Type.Normal, "RolloutUpdated",
        "Rollout updated to revision " + revision)), Optional.empty());
  }

  private static List<Event> events(KubernetesClient k8s, String ns, String reason) {
    return k8s.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "limited".equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
  }
}
