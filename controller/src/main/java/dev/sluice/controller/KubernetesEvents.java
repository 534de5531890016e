package dev.sluice.controller;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;

/**
 * Records a reconcile's transitions: one log line each, and a Kubernetes Event on the object for
 * each that is not routine. Callers pass messages that are already safe to show (secrets masked).
 */
public final class KubernetesEvents {
  public enum Type { Normal, Warning }

  /** @param routine logged only, no Event (see {@link dev.sluice.controller.plan.Plan.RolloutEvent}) */
  public record Transition(Type type, String reason, String message, boolean routine) {
    public Transition(Type type, String reason, String message) {
      this(type, reason, message, false);
    }
  }

  private static final String COMPONENT = "sluice-controller";
  private static final String INSTANCE = System.getenv().getOrDefault("POD_NAME", "sluice-controller-" + ProcessHandle.current().pid());
  private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final Logger log;

  public KubernetesEvents(KubernetesClient client, Logger log) {
    this.client = client;
    this.log = log;
  }

  /** Records them in order; their event times are a microsecond apart so they sort as they happened. */
  public void record(HasMetadata involved, List<Transition> transitions, Instant now) {
    for (int i = 0; i < transitions.size(); i++) {
      record(involved, transitions.get(i), now.plusNanos(i * 1_000L));
    }
  }

  private void record(HasMetadata involved, Transition t, Instant at) {
    var meta = involved.getMetadata();
    String line = "%s/%s %s: %s".formatted(meta.getNamespace(), meta.getName(), t.reason(), t.message());
    if (t.type() == Type.Warning) log.warn(line); else log.info(line);
    if (t.routine()) {
      return;
    }
    String seconds = at.truncatedTo(ChronoUnit.SECONDS).toString();
    String message = t.message().length() > MAX_MESSAGE ? t.message().substring(0, MAX_MESSAGE - 3) + "..." : t.message();
    var event = new EventBuilder()
        .withNewMetadata()
          .withName(meta.getName() + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
          .withNamespace(meta.getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(involved.getApiVersion()).withKind(involved.getKind())
            .withName(meta.getName()).withNamespace(meta.getNamespace()).withUid(meta.getUid())
            .withResourceVersion(meta.getResourceVersion()).build())
        .withType(t.type().name())
        .withReason(t.reason())
        .withMessage(message)
        .withFirstTimestamp(seconds)
        .withLastTimestamp(seconds)
        .withCount(1)
        .withNewEventTime(MICROS.format(at))
        .withAction(t.reason())
        .withReportingComponent(COMPONENT)
        .withReportingInstance(INSTANCE)
        .withNewSource().withComponent(COMPONENT).endSource()
        .build();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // an event is a courtesy: never fail a reconcile over it
      log.warn("{}/{} could not record event {}: {}", meta.getNamespace(), meta.getName(), t.reason(), e.getMessage());
    }
  }
}
