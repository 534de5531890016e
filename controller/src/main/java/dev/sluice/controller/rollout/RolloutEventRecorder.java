package dev.sluice.controller.rollout;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.controller.plan.Plan.RolloutEvent;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records each transition as a Kubernetes Event on the Rollout and as one log line. */
public final class RolloutEventRecorder {
  private static final Logger log = LoggerFactory.getLogger("dev.sluice.rollout");
  private static final String COMPONENT = "sluice-controller";
  private static final String INSTANCE = System.getenv().getOrDefault("POD_NAME", "sluice-controller-" + ProcessHandle.current().pid());

  private final KubernetesClient client;

  public RolloutEventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void record(Rollout rollout, RolloutEvent event, Instant now) {
    var meta = rollout.getMetadata();
    String line = "%s/%s %s: %s".formatted(meta.getNamespace(), meta.getName(), event.reason(), event.message());
    if (event.type() == RolloutEvent.Type.Warning) log.warn(line); else log.info(line);
    var k8sEvent = new EventBuilder()
        .withNewMetadata()
          .withName(meta.getName() + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
          .withNamespace(meta.getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(rollout.getApiVersion()).withKind(rollout.getKind())
            .withName(meta.getName()).withNamespace(meta.getNamespace()).withUid(meta.getUid())
            .withResourceVersion(meta.getResourceVersion()).build())
        .withType(event.type().name())
        .withReason(event.reason())
        .withMessage(event.message())
        .withFirstTimestamp(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
        .withLastTimestamp(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
        .withCount(1)
        // microsecond time, so events of one reconcile sort in the order they happened
        .withNewEventTime(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX")
            .withZone(java.time.ZoneOffset.UTC).format(now))
        .withAction(event.reason())
        .withReportingComponent(COMPONENT)
        .withReportingInstance(INSTANCE)
        .withNewSource().withComponent(COMPONENT).endSource()
        .build();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(k8sEvent).create();
    } catch (KubernetesClientException e) {
      // an event is a courtesy: never fail a reconcile over it
      log.warn("{}/{} could not record event {}: {}", meta.getNamespace(), meta.getName(), event.reason(), e.getMessage());
    }
  }
}
