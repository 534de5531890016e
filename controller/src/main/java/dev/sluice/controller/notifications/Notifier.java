package dev.sluice.controller.notifications;

import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.controller.KubernetesEvents;
import dev.sluice.controller.KubernetesEvents.Transition;
import dev.sluice.controller.notifications.Messages.Rendered;
import dev.sluice.controller.plan.Plan;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a Rollout's subscribers of the transitions a reconcile made, without holding the reconcile
 * up: {@link #prepare} (on the reconcile's thread, before the status write; no I/O) picks the
 * notices someone subscribed to, {@link #send} (after the write) queues them and returns.
 *
 * <p>On the notifier's own threads: the ConfigMap {@value NotificationsConfig#CONFIG_MAP} and the
 * Secret {@value SecretValues#SECRET} are read from the controller's namespace, each subscription's
 * templates rendered, and the requests sent asynchronously with retries ({@link Delivery}). Each
 * outcome is a Kubernetes Event on the Rollout: NotificationSent or NotificationFailed.
 *
 * <p>Order is kept where a person would see it: one Rollout's batches are handled one after the
 * other, and one destination (Rollout, service, recipient) gets its messages in order. Bounds: at
 * most {@link Limits#perNamespace} notifications waiting per namespace and {@link Limits#total} in
 * all (past that a batch is dropped, with a NotificationFailed event), a rendered text at most
 * {@value TemplateText#MAX_RENDERED} characters, request timeouts and a fixed number of attempts.
 * A dead receiver holds no thread (requests are asynchronous) and a bad template fails at once, so
 * neither holds up other Rollouts.
 *
 * <p>Once per transition: notices come from the planner's events (see {@link Transitions}), which a
 * restarted controller does not emit again. A notice still queued when the controller stops is
 * lost, not sent twice (Sluice writes nothing on the Rollout to remember it).
 */
public final class Notifier implements AutoCloseable {
  public static final String SENT = "NotificationSent";
  public static final String FAILED = "NotificationFailed";
  private static final Logger log = LoggerFactory.getLogger("dev.sluice.notifications");

  /** Bounds on notifications waiting (queued, being sent or retried). */
  public record Limits(int perNamespace, int total) {
    public static final Limits DEFAULT = new Limits(200, 2000);
  }

  /** The notices one reconcile gives a Rollout's subscribers; {@link #NONE} when nobody listens. */
  public static final class Pending {
    static final Pending NONE = new Pending(null, Map.of(), List.of(), null);
    private final Rollout involved;
    private final Map<String, Object> rollout;
    private final List<Notice> notices;
    private final Subscription.Parsed subscriptions;

    private Pending(Rollout involved, Map<String, Object> rollout, List<Notice> notices, Subscription.Parsed subscriptions) {
      this.involved = involved;
      this.rollout = rollout;
      this.notices = notices;
      this.subscriptions = subscriptions;
    }

    public List<Notice> notices() {
      return notices;
    }

    int deliveries() {
      return notices.stream().mapToInt(n -> Math.max(1, subscriptions.to(n.trigger()).size())).sum();
    }
  }

  private final boolean on;
  private final KubernetesClient client;
  private final String namespace;
  private final Limits limits;
  private final Clock clock;
  private final ExecutorService executor;
  private final Delivery delivery;
  private final AtomicInteger waiting = new AtomicInteger();
  private final Map<String, AtomicInteger> waitingByNamespace = new ConcurrentHashMap<>();
  /**
   * A subscription annotation's problem (an unknown trigger, say) told as a Warning Event once per
   * Rollout and text in this process, not with every transition; bounded, the oldest forgotten first.
   */
  private final Set<String> toldProblems = Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > 10_000;
    }
  });
  /** The last batch of each Rollout, and the last delivery to each destination: what the next one waits for. */
  private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

  /**
   * @param namespace where the ConfigMap and Secret are (the controller's own namespace)
   */
  public Notifier(KubernetesClient client, String namespace, Limits limits, Clock clock) {
    this(client, namespace, Delivery.Settings.DEFAULT, limits, clock);
  }

  private Notifier(KubernetesClient client, String namespace, Delivery.Settings delivery, Limits limits, Clock clock) {
    this.on = true;
    this.client = client;
    this.namespace = namespace;
    this.limits = limits;
    this.clock = clock;
    this.executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "sluice-notifications");
      t.setDaemon(true);
      return t;
    });
    HttpClient http = HttpClient.newBuilder().connectTimeout(delivery.timeout()).followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor).build();
    this.delivery = new Delivery(http, delivery, executor);
  }

  public Notifier(KubernetesClient client, String namespace, Clock clock) {
    this(client, namespace, Delivery.Settings.DEFAULT, Limits.DEFAULT, clock);
  }

  private Notifier() {
    on = false;
    client = null;
    namespace = null;
    limits = Limits.DEFAULT;
    clock = null;
    executor = null;
    delivery = null;
  }

  /** Notifications turned off: nothing is prepared or sent. */
  public static Notifier off() {
    return new Notifier();
  }

  /**
   * The notices this plan gives the Rollout's subscribers, with the Rollout as it will be once the
   * plan's status is written. Call before writing the status (the write changes {@code rollout}).
   */
  public Pending prepare(Rollout rollout, Plan plan) {
    var annotations = rollout.getMetadata().getAnnotations();
    if (!on || annotations == null || annotations.keySet().stream().noneMatch(k -> k.startsWith(Subscription.PREFIX))) {
      return Pending.NONE;
    }
    try {
      return pending(rollout, annotations, plan);
    } catch (RuntimeException e) {
      // a notification never fails a reconcile
      log.warn("{}/{}: notifications not prepared: {}", rollout.getMetadata().getNamespace(), rollout.getMetadata().getName(), e.toString());
      return Pending.NONE;
    }
  }

  private Pending pending(Rollout rollout, Map<String, String> annotations, Plan plan) {
    var canary = rollout.getSpec() == null || rollout.getSpec().strategy() == null ? null : rollout.getSpec().strategy().canary();
    List<CanaryStep> steps = canary == null || canary.steps() == null ? List.of() : canary.steps();
    List<Notice> notices = Transitions.of(rollout.getStatus(), plan.status(), plan.events(), steps);
    Subscription.Parsed subscriptions = Subscription.fromAnnotations(annotations);
    List<Notice> wanted = notices.stream().filter(n -> !subscriptions.to(n.trigger()).isEmpty()).toList();
    if (wanted.isEmpty() && (notices.isEmpty() || subscriptions.problems().isEmpty())) {
      return Pending.NONE;
    }
    var serialization = client.getKubernetesSerialization();
    @SuppressWarnings("unchecked")
    Map<String, Object> map = serialization.convertValue(rollout, Map.class);
    map.put("status", plan.status() == null ? Map.of() : serialization.convertValue(plan.status(), Map.class));
    if (map.get("metadata") instanceof Map<?, ?> meta) {
      meta.remove("managedFields");
    }
    var m = rollout.getMetadata();
    Rollout involved = new Rollout();
    involved.setMetadata(new ObjectMetaBuilder().withName(m.getName()).withNamespace(m.getNamespace()).withUid(m.getUid())
        .withResourceVersion(m.getResourceVersion()).build());
    return new Pending(involved, map, wanted, subscriptions);
  }

  /** Queues the notices and returns at once. */
  public void send(Pending pending) {
    if (pending == Pending.NONE || pending.involved == null) {
      return;
    }
    String ns = pending.involved.getMetadata().getNamespace();
    int count = pending.deliveries();
    AtomicInteger inNamespace = waitingByNamespace.computeIfAbsent(ns, k -> new AtomicInteger());
    if (inNamespace.addAndGet(count) > limits.perNamespace() | waiting.addAndGet(count) > limits.total()) {
      release(ns, count);
      String why = "nothing sent: too many notifications waiting (at most " + limits.perNamespace() + " per namespace, "
          + limits.total() + " in all); dropped " + pending.notices.stream().map(n -> n.trigger().id()).distinct().toList();
      try {
        executor.execute(() -> event(pending.involved, KubernetesEvents.Type.Warning, FAILED, why, SecretValues.none()));
      } catch (RejectedExecutionException e) {
        log.warn("{}/{} {}: {}", ns, pending.involved.getMetadata().getName(), FAILED, why);
      }
      return;
    }
    String key = ns + "/" + pending.involved.getMetadata().getName();
    chain(key, () -> CompletableFuture.runAsync(() -> dispatch(pending, ns, count), executor));
  }

  /** Runs {@code next} after whatever was last chained on {@code key}. */
  private void chain(String key, Supplier<CompletableFuture<?>> next) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture<Void> previous = tails.put(key, done);
    (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
        .thenCompose(ignored -> next.get())
        .whenComplete((ignored, error) -> {
          if (error != null) {
            log.warn("notification task failed: {}", error.toString());
          }
          tails.remove(key, done);
          done.complete(null);
        });
  }

  private void release(String ns, int count) {
    waiting.addAndGet(-count);
    waitingByNamespace.get(ns).addAndGet(-count);
  }

  private boolean firstTelling(Rollout rollout, String problem) {
    synchronized (toldProblems) {
      return toldProblems.add(rollout.getMetadata().getUid() + "/" + problem);
    }
  }

  private void dispatch(Pending pending, String ns, int count) {
    AtomicInteger unaccounted = new AtomicInteger(count);
    try {
      Optional<NotificationsConfig> loaded = load(pending);
      if (loaded.isEmpty()) {
        return;
      }
      NotificationsConfig config = loaded.get();
      SecretValues secrets = config.secrets();
      config.problems().forEach(p -> log.warn("ConfigMap {}/{}: {}", namespace, NotificationsConfig.CONFIG_MAP, secrets.mask(p)));
      pending.subscriptions.problems().stream().filter(p -> firstTelling(pending.involved, p))
          .forEach(p -> event(pending.involved, KubernetesEvents.Type.Warning, FAILED, p, secrets));
      for (Notice notice : pending.notices) {
        for (Subscription subscription : pending.subscriptions.to(notice.trigger())) {
          Rendered rendered = Messages.render(config, notice, subscription, pending.rollout);
          String to = notice.trigger().id() + " to " + subscription.service()
              + (subscription.recipient().isEmpty() ? "" : ":" + subscription.recipient());
          if (rendered.problem().isPresent()) {
            event(pending.involved, KubernetesEvents.Type.Warning, FAILED, to + ": nothing sent: " + rendered.problem().get(), secrets);
            continue;
          }
          unaccounted.decrementAndGet();
          String destination = ns + "/" + pending.involved.getMetadata().getName() + "/" + subscription.service() + "/"
              + subscription.recipient();
          chain(destination, () -> deliverAll(pending.involved, to, rendered.requests(), secrets)
              .whenComplete((ignored, error) -> release(ns, 1)));
        }
      }
    } finally {
      release(ns, unaccounted.get());
    }
  }

  private CompletableFuture<Void> deliverAll(Rollout involved, String to, List<OutgoingRequest> requests, SecretValues secrets) {
    CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
    for (OutgoingRequest request : requests) {
      all = all.thenCompose(ignored -> delivery.send(request)).thenAcceptAsync(result -> {
        String what = to + " (template " + request.template() + "): ";
        String attempts = result.attempts() + (result.attempts() == 1 ? " attempt" : " attempts");
        if (result.problem().isEmpty()) {
          event(involved, KubernetesEvents.Type.Normal, SENT, what + "HTTP " + result.status() + " after " + attempts, secrets);
        } else {
          event(involved, KubernetesEvents.Type.Warning, FAILED, what + "not delivered after " + attempts + ": "
              + result.problem().get(), secrets);
        }
      }, executor);
    }
    return all;
  }

  /** The ConfigMap and Secret; empty (with a NotificationFailed event) when the ConfigMap cannot be read. */
  private Optional<NotificationsConfig> load(Pending pending) {
    String problem;
    try {
      ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(NotificationsConfig.CONFIG_MAP).get();
      if (configMap != null) {
        Secret secret = client.secrets().inNamespace(namespace).withName(SecretValues.SECRET).get();
        return Optional.of(NotificationsConfig.parse(
            configMap.getData() == null ? Map.of() : configMap.getData(), new SecretValues(decoded(secret))));
      }
      problem = "there is no ConfigMap " + NotificationsConfig.CONFIG_MAP + " in the namespace " + namespace;
    } catch (KubernetesClientException e) {
      problem = "could not read the ConfigMap " + NotificationsConfig.CONFIG_MAP + " or the Secret " + SecretValues.SECRET
          + " in the namespace " + namespace + ": " + e.getMessage();
    }
    String why = "nothing sent for " + pending.notices.stream().map(n -> n.trigger().id()).distinct().toList() + ": " + problem;
    event(pending.involved, KubernetesEvents.Type.Warning, FAILED, why, SecretValues.none());
    return Optional.empty();
  }

  private static Map<String, String> decoded(Secret secret) {
    Map<String, String> values = new HashMap<>();
    if (secret != null && secret.getData() != null) {
      secret.getData().forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret != null && secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return values;
  }

  private void event(Rollout involved, KubernetesEvents.Type type, String reason, String message, SecretValues secrets) {
    new KubernetesEvents(client, log).record(involved, List.of(new Transition(type, reason, secrets.mask(message))), clock.instant());
  }

  /** Stops at once: what is still queued is not sent. */
  @Override
  public void close() {
    if (!on) {
      return;
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
