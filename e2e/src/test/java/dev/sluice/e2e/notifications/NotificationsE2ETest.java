package dev.sluice.e2e.notifications;

import static dev.sluice.e2e.Rollouts.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.controller.SluiceController;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.Rollouts;
import dev.sluice.e2e.analysis.CapturedLog;
import dev.sluice.e2e.analysis.LocalHttpServer;
import dev.sluice.e2e.analysis.LocalHttpServer.Answer;
import dev.sluice.e2e.analysis.LocalHttpServer.Seen;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Notifications from the real controller during canary rollouts on the local cluster, to receivers
 * on 127.0.0.1 that stand in for a webhook endpoint and for Slack's Web API (chat.postMessage):
 * what a person gets for a promoted and for an aborted canary, a receiver that fails for a while
 * and one that is down, a template that does not render, and a controller restart.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationsE2ETest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOOK_TOKEN = "hook-s3cr3t-7f3a";
  private static final String SLACK_TOKEN = "xoxb-s3cr3t-91c2";

  private final AtomicInteger flakyAnswers = new AtomicInteger();
  private LocalHttpServer hook;
  private LocalHttpServer slack;
  private LocalHttpServer flaky;
  private LocalHttpServer badHook;
  private LocalHttpServer smoke;
  private CapturedLog log;
  private LocalCluster cluster;
  private KubernetesClient k8s;
  private KubernetesClient controllerClient;
  private SluiceController controller;
  private Rollouts rollouts;
  private String ns;

  @BeforeAll
  void start(LocalCluster cluster, KubernetesClient k8s, TestNamespace namespace) {
    this.cluster = cluster;
    this.k8s = k8s;
    this.ns = namespace.name();
    rollouts = new Rollouts(k8s, ns);
    hook = new LocalHttpServer(request -> new Answer(200, "{}"));
    slack = new LocalHttpServer(request -> new Answer(200, "{\"ok\": true}"));
    // two 503s, then 200: retried until delivered
    flaky = new LocalHttpServer(request -> new Answer(flakyAnswers.incrementAndGet() <= 2 ? 503 : 200, "{}"));
    badHook = new LocalHttpServer(request -> new Answer(200, "{}"));
    smoke = new LocalHttpServer(request -> new Answer(200, "{\"ok\": false}"));

    k8s.resource(new SecretBuilder().withNewMetadata().withName("sluice-notifications-secret").endMetadata()
        .addToStringData("hook-token", HOOK_TOKEN).addToStringData("slack-token", SLACK_TOKEN).build()).inNamespace(ns).create();
    k8s.resource(new ConfigMapBuilder().withNewMetadata().withName("sluice-notifications").endMetadata()
        .withData(configMapData()).build()).inNamespace(ns).create();
    k8s.resource("""
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: smoke}
        spec:
          metrics:
          - name: health
            successCondition: result == true
            provider:
              web: {url: '%s/health', jsonPath: '{$.ok}'}
        """.formatted(smoke.url())).inNamespace(ns).create();
    log = new CapturedLog();
    startController();
  }

  private void startController() {
    controllerClient = LocalCluster.clientFor(cluster.kubeconfig());
    controller = new SluiceController(controllerClient,
        new SluiceController.Options(Set.of(ns), null, null).withNotificationsNamespace(ns), Clock.systemUTC()).start();
  }

  private void stopController() {
    controller.close();
    controllerClient.close();
  }

  @AfterAll
  void stop() {
    if (controller != null) stopController();
    if (log != null) log.close();
    for (LocalHttpServer s : new LocalHttpServer[] {hook, slack, flaky, badHook, smoke}) {
      if (s != null) s.close();
    }
  }

  /** The ConfigMap a platform team would write: a webhook and Slack, a template per trigger. */
  private Map<String, String> configMapData() {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("service.webhook.hook", """
        url: %s/rollouts
        headers:
        - name: Content-Type
          value: application/json
        - name: Authorization
          value: Bearer $hook-token
        """.formatted(hook.url()));
    data.put("service.webhook.flaky", "url: %s\nheaders: [{name: Content-Type, value: application/json}]\n".formatted(flaky.url()));
    data.put("service.webhook.dead", "url: http://127.0.0.1:%d\n".formatted(closedPort()));
    data.put("service.webhook.badhook", "url: %s\n".formatted(badHook.url()));
    data.put("service.slack", "token: $slack-token\napiURL: %s/api\nusername: Sluice\n".formatted(slack.url()));
    data.put("context", "environment: staging\n");
    template(data, "rollout-updated", "Rollout {{rollout.metadata.name}} started an update to"
        + "{{#rollout.spec.template.spec.containers}} {{image}}{{/rollout.spec.template.spec.containers}} ({{context.environment}})",
        "badhook: {body: '{\"text\": \"{{rollout.metadata.nmae}} is updating\"}'}");
    template(data, "rollout-step-completed",
        "Rollout {{rollout.metadata.name}}: step {{step.number}}/{{step.total}} ({{step.description}}) completed", "");
    template(data, "rollout-paused",
        "Rollout {{rollout.metadata.name}} is paused{{#step}} at step {{number}}/{{total}} ({{description}}){{/step}}: promote it to go on", "");
    template(data, "rollout-promoted", "Rollout {{rollout.metadata.name}} was promoted: {{reason.message}}", "");
    template(data, "rollout-aborted",
        "Rollout {{rollout.metadata.name}} was aborted (by {{reason.abortedBy}}): {{reason.message}}", "");
    template(data, "rollout-completed", "Rollout {{rollout.metadata.name}}: {{reason.message}}", "");
    template(data, "analysis-run-failed", "Rollout {{rollout.metadata.name}}: {{reason.message}}", "");
    for (String trigger : List.of("rollout-updated", "rollout-step-completed", "rollout-paused", "rollout-promoted",
        "rollout-aborted", "rollout-completed", "analysis-run-failed")) {
      data.put("trigger.on-" + trigger, "- send: [%s]\n".formatted(trigger));
    }
    return data;
  }

  /** A template whose text is Slack's message and, in a JSON body, every webhook's. */
  private static void template(Map<String, String> data, String name, String text, String extraWebhook) {
    String body = "'{\"trigger\": \"{{trigger}}\", \"rollout\": \"{{rollout.metadata.name}}\", \"text\": \"%s\"}'"
        .formatted(text.replace("'", "''"));
    data.put("template." + name, """
        message: '%s'
        webhook:
          hook:
            path: /{{rollout.metadata.name}}
            body: %s
          flaky: {body: %s}
          dead: {body: %s}
          %s
        """.formatted(text.replace("'", "''"), body, body, body, extraWebhook));
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ConditionFactory within(int seconds) {
    return await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(200));
  }

  private void createRollout(String name, String steps, Map<String, String> subscriptions) {
    StringBuilder annotations = new StringBuilder("  annotations:\n");
    subscriptions.forEach((k, v) -> annotations.append("    notifications.sluice.dev/subscribe.").append(k).append(": '").append(v).append("'\n"));
    String manifest = Rollouts.manifest(name, 2, "registry.example/app:1.0", "", "", steps)
        .replaceFirst("(?m)^  name: " + name + "$", "  name: " + name + "\n" + annotations.toString().stripTrailing());
    rollouts.create(manifest);
    awaitHealthyOn(name, "registry.example/app:1.0");
  }

  private void awaitHealthyOn(String name, String image) {
    within(90).until(() -> {
      var r = rollouts.get(name);
      var s = r.getStatus();
      return s != null && hasCondition(s, "Healthy", "True") && r.getMetadata().getGeneration().equals(s.observedGeneration())
          && image.equals(r.getSpec().template().getSpec().getContainers().get(0).getImage());
    });
  }

  /** What the webhook receiver got for one rollout, as {trigger, text}, in arrival order. */
  private List<JsonNode> received(LocalHttpServer server, String rollout) {
    return server.seen().stream().map(s -> json(s.body())).filter(b -> rollout.equals(b.path("rollout").asText())).toList();
  }

  private List<Seen> slackTo(String channel) {
    return slack.seen().stream().filter(s -> channel.equals(json(s.body()).path("channel").asText())).toList();
  }

  private static List<String> triggers(List<JsonNode> messages) {
    return messages.stream().map(m -> m.path("trigger").asText()).toList();
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Event> notificationEvents(String rollout, String reason) {
    return k8s.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> rollout.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
        .sorted(Comparator.comparing(e -> e.getEventTime() == null ? "" : e.getEventTime().getTime())).toList();
  }

  private static void print(String title, List<Seen> seen) {
    System.out.println("[notifications] " + title + ":");
    seen.forEach(s -> System.out.println("  " + s.method() + " " + s.pathAndQuery() + "  " + s.body().strip()));
  }

  @Test
  void aPromotedCanaryTellsEachTransitionOnceInOrderToTheWebhookAndSlack() {
    createRollout("promoted", "- setWeight: 50\n- pause: {}", Map.of(
        "on-rollout-updated.hook", "", "on-rollout-step-completed.hook", "", "on-rollout-paused.hook", "",
        "on-rollout-promoted.hook", "", "on-rollout-completed.hook", "",
        "on-rollout-paused.slack", "#deploys", "on-rollout-completed.slack", "#deploys"));
    assertThat(received(hook, "promoted")).as("the first deploy has no update to tell of").isEmpty();

    rollouts.setImage("promoted", "registry.example/app:2.0");
    within(60).until(() -> triggers(received(hook, "promoted")).contains("on-rollout-paused"));
    rollouts.promote("promoted");
    awaitHealthyOn("promoted", "registry.example/app:2.0");
    within(30).until(() -> received(hook, "promoted").size() == 6 && slackTo("#deploys").size() == 2);

    List<JsonNode> messages = received(hook, "promoted");
    print("promoted canary, webhook", hook.seen().stream().filter(s -> s.pathAndQuery().equals("/rollouts/promoted")).toList());
    print("promoted canary, Slack chat.postMessage", slackTo("#deploys"));
    assertThat(triggers(messages)).containsExactly("on-rollout-updated", "on-rollout-step-completed", "on-rollout-paused",
        "on-rollout-promoted", "on-rollout-step-completed", "on-rollout-completed");
    assertThat(messages.get(0).path("text").asText()).isEqualTo("Rollout promoted started an update to registry.example/app:2.0 (staging)");
    assertThat(messages.get(1).path("text").asText()).isEqualTo("Rollout promoted: step 1/2 (setWeight: 50) completed");
    assertThat(messages.get(2).path("text").asText()).isEqualTo("Rollout promoted is paused at step 2/2 (pause: {}): promote it to go on");
    assertThat(messages.get(4).path("text").asText()).isEqualTo("Rollout promoted: step 2/2 (pause: {}) completed");
    assertThat(hook.seen()).filteredOn(s -> s.pathAndQuery().equals("/rollouts/promoted"))
        .allSatisfy(s -> assertThat(s.authorization()).isEqualTo("Bearer " + HOOK_TOKEN));

    assertThat(slackTo("#deploys")).allSatisfy(s -> {
      assertThat(s.pathAndQuery()).isEqualTo("/api/chat.postMessage");
      assertThat(s.authorization()).isEqualTo("Bearer " + SLACK_TOKEN);
      assertThat(json(s.body()).path("username").asText()).isEqualTo("Sluice");
    });
    assertThat(slackTo("#deploys")).extracting(s -> json(s.body()).path("text").asText()).containsExactly(
        "Rollout promoted is paused at step 2/2 (pause: {}): promote it to go on",
        "Rollout promoted: Rollout completed update to revision 2");
    within(30).until(() -> notificationEvents("promoted", "NotificationSent").size() == 8);
    notificationEvents("promoted", "NotificationSent").forEach(e -> System.out.println("[notifications] event: " + e.getMessage()));
    assertThat(notificationEvents("promoted", "NotificationFailed")).isEmpty();
  }

  @Test
  void anAbortedCanaryTellsTheFailedAnalysisAndTheAbortWithItsCause() {
    createRollout("aborted", "- setWeight: 50\n- analysis:\n    templates:\n    - templateName: smoke\n- pause: {}", Map.of(
        "on-rollout-updated.hook", "", "on-rollout-step-completed.hook", "", "on-analysis-run-failed.hook", "",
        "on-rollout-aborted.hook", "", "on-rollout-completed.hook", ""));

    rollouts.setImage("aborted", "registry.example/app:2.0");
    within(90).until(() -> triggers(received(hook, "aborted")).contains("on-rollout-aborted"));
    within(60).until(() -> {
      var s = rollouts.status("aborted");
      return "Degraded".equals(s.phase()) && Integer.valueOf(2).equals(rollouts.readyPodsByHash("aborted").get(s.stableRS()));
    });

    List<JsonNode> messages = received(hook, "aborted");
    print("aborted canary, webhook", hook.seen().stream().filter(s -> s.pathAndQuery().equals("/rollouts/aborted")).toList());
    assertThat(triggers(messages)).containsExactly("on-rollout-updated", "on-rollout-step-completed", "on-analysis-run-failed",
        "on-rollout-aborted");
    assertThat(messages.get(2).path("text").asText()).startsWith("Rollout aborted: AnalysisRun \"aborted-").contains("Failed");
    assertThat(messages.get(3).path("text").asText())
        .startsWith("Rollout aborted was aborted (by metric): Rollout aborted update to revision 2: AnalysisRun \"aborted-");
  }

  @Test
  void aFailingReceiverIsRetriedADeadOneGetsAFailedEventAndTheRolloutGoesOnMeanwhile() {
    createRollout("receivers", "- setWeight: 50\n- pause: {}", Map.of(
        "on-rollout-updated.flaky", "", "on-rollout-updated.dead", "", "on-rollout-aborted.hook", ""));

    rollouts.setImage("receivers", "registry.example/app:2.0");
    within(60).until(() -> "Paused".equals(rollouts.status("receivers").phase()));
    within(60).until(() -> !notificationEvents("receivers", "NotificationFailed").isEmpty()
        && !notificationEvents("receivers", "NotificationSent").isEmpty());

    assertThat(flaky.seen()).as("two 503s, then delivered").hasSize(3)
        .allSatisfy(s -> assertThat(json(s.body()).path("trigger").asText()).isEqualTo("on-rollout-updated"));
    assertThat(notificationEvents("receivers", "NotificationSent")).singleElement().satisfies(e -> assertThat(e.getMessage())
        .isEqualTo("on-rollout-updated to flaky (template rollout-updated): HTTP 200 after 3 attempts"));
    assertThat(notificationEvents("receivers", "NotificationFailed")).singleElement().satisfies(e -> {
      System.out.println("[notifications] dead receiver: " + e.getMessage());
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).isEqualTo("on-rollout-updated to dead (template rollout-updated): not delivered after 4 attempts: could not connect");
    });

    // the user aborts: the reason says so
    rollouts.abort("receivers");
    within(30).until(() -> triggers(received(hook, "receivers")).contains("on-rollout-aborted"));
    assertThat(received(hook, "receivers").get(0).path("text").asText())
        .isEqualTo("Rollout receivers was aborted (by user): Rollout aborted update to revision 2: aborted by the user (status.abort)");
  }

  @Test
  void aTemplateThatDoesNotRenderSendsNothingSaysWhyAndTheRolloutGoesOn() {
    createRollout("badtemplate", "- setWeight: 50", Map.of("on-rollout-updated.badhook", "", "on-rollout-updated.hook", "",
        "on-rollout-updatd.hook", ""));

    rollouts.setImage("badtemplate", "registry.example/app:2.0");
    awaitHealthyOn("badtemplate", "registry.example/app:2.0");
    String badTemplate = "on-rollout-updated to badhook: nothing sent: template \"rollout-updated\""
        + " (webhook.badhook.body): No method or field with name 'rollout.metadata.nmae' on line 1";
    String typo = "annotation notifications.sluice.dev/subscribe.on-rollout-updatd.hook names an unknown trigger \"on-rollout-updatd\"";
    within(30).until(() -> received(hook, "badtemplate").size() == 1 && notificationEvents("badtemplate", "NotificationFailed")
        .stream().map(Event::getMessage).anyMatch(m -> m.startsWith(typo)));

    List<String> failures = notificationEvents("badtemplate", "NotificationFailed").stream().map(Event::getMessage).toList();
    failures.stream().distinct().forEach(m -> System.out.println("[notifications] bad template or subscription: " + m));
    assertThat(failures).filteredOn(m -> m.startsWith("on-rollout-updated to badhook")).containsExactly(badTemplate);
    assertThat(failures).allMatch(m -> m.equals(badTemplate) || m.startsWith(typo));
    assertThat(failures).as("the annotation's problem is told once, not with each of the update's transitions")
        .filteredOn(m -> m.startsWith(typo)).hasSize(1);
    assertThat(badHook.seen()).as("nothing sent for the template that does not render").isEmpty();
    assertThat(received(hook, "badtemplate")).as("the same template's other webhook is fine").hasSize(1);
  }

  /** Restarted while paused mid-update: the new controller plans from the status written and has nothing to tell again. */
  @Test
  void aControllerRestartedMidUpdateSendsNothingTwice() {
    createRollout("restart", "- setWeight: 50\n- pause: {}", Map.of("on-rollout-updated.hook", "",
        "on-rollout-step-completed.hook", "", "on-rollout-paused.hook", "", "on-rollout-promoted.hook", "",
        "on-rollout-completed.hook", ""));
    rollouts.setImage("restart", "registry.example/app:2.0");
    within(60).until(() -> received(hook, "restart").size() == 3);

    stopController();
    startController();
    within(30).until(controller::ready);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> received(hook, "restart").size() == 3);
    rollouts.promote("restart");
    awaitHealthyOn("restart", "registry.example/app:2.0");
    within(30).until(() -> received(hook, "restart").size() >= 6);

    print("restart while paused, webhook", hook.seen().stream().filter(s -> s.pathAndQuery().equals("/rollouts/restart")).toList());
    assertThat(received(hook, "restart")).extracting(m -> m.path("text").asText()).containsExactly(
        "Rollout restart started an update to registry.example/app:2.0 (staging)",
        "Rollout restart: step 1/2 (setWeight: 50) completed",
        "Rollout restart is paused at step 2/2 (pause: {}): promote it to go on",
        "Rollout restart was promoted: Promoted: leaving the pause at step 2/2 (pause until promoted)",
        "Rollout restart: step 2/2 (pause: {}) completed",
        "Rollout restart: Rollout completed update to revision 2");
  }

  @Test
  void noSecretIsEverLoggedOrPutInAnEvent() {
    createRollout("secrets", "- setWeight: 50", Map.of("on-rollout-updated.hook", "", "on-rollout-updated.slack", "#secrets",
        "on-rollout-updated.dead", ""));
    rollouts.setImage("secrets", "registry.example/app:2.0");
    within(60).until(() -> notificationEvents("secrets", "NotificationSent").size() == 2
        && notificationEvents("secrets", "NotificationFailed").size() == 1);

    assertThat(log.text()).contains("NotificationSent", "NotificationFailed").doesNotContain(HOOK_TOKEN, SLACK_TOKEN);
    assertThat(k8s.v1().events().inNamespace(ns).list().getItems())
        .allSatisfy(e -> assertThat(e.getMessage()).doesNotContain(HOOK_TOKEN, SLACK_TOKEN));
  }
}
