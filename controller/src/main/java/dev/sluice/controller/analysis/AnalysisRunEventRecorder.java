package dev.sluice.controller.analysis;

import dev.sluice.analysis.args.Redactor;
import dev.sluice.analysis.run.RunEvent;
import dev.sluice.api.v1alpha1.AnalysisRun;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records each transition of a run as a Kubernetes Event on it and as one log line, secrets masked. */
final class AnalysisRunEventRecorder {
  private static final Logger log = LoggerFactory.getLogger("dev.sluice.analysis");
  private static final String COMPONENT = "sluice-controller";

  private final KubernetesClient client;

  AnalysisRunEventRecorder(KubernetesClient client) {
    this.client = client;
  }

  void record(AnalysisRun run, RunEvent event, Redactor redactor, Instant now) {
    var meta = run.getMetadata();
    String message = redactor.redact(event.message());
    String line = "%s/%s %s: %s".formatted(meta.getNamespace(), meta.getName(), event.reason(), message);
    if (event.type() == RunEvent.Type.Warning) log.warn(line); else log.info(line);
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    var k8sEvent = new EventBuilder()
        .withNewMetadata()
          .withName(meta.getName() + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
          .withNamespace(meta.getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(run.getApiVersion()).withKind(run.getKind())
            .withName(meta.getName()).withNamespace(meta.getNamespace()).withUid(meta.getUid())
            .withResourceVersion(meta.getResourceVersion()).build())
        .withType(event.type().name())
        .withReason(event.reason())
        .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
        .withFirstTimestamp(time)
        .withLastTimestamp(time)
        .withCount(1)
        .withReportingComponent(COMPONENT)
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
