package dev.sluice.analysis.args;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import dev.sluice.api.v1alpha1.MetricProvider.Header;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricTemplatingTest {

  @Test
  void everyStringOfTheMetricGetsTheArguments() {
    var args = new ResolvedArguments(Map.of("svc", "checkout", "token", "a\"quoted\"\nsecret", "count", "3"), Set.of("token"));
    Metric metric = new Metric("errors", "{{args.count}}s", null, new IntOrString("{{args.count}}"),
        "result[0] < 0.05", null, null, null, null, null,
        new MetricProvider(null, new MetricProvider.Web("http://x/{{args.svc}}", "POST",
            List.of(new Header("Authorization", "Bearer {{args.token}}")), "{\"svc\": \"{{args.svc}}\"}", "{$.ok}", null, null, null), null));

    Metric out = MetricTemplating.substitute(metric, args);

    assertThat(out.interval()).isEqualTo("3s");
    assertThat(out.count()).isEqualTo(new IntOrString("3"));
    assertThat(out.provider().web().url()).isEqualTo("http://x/checkout");
    assertThat(out.provider().web().headers().get(0).value()).isEqualTo("Bearer a\"quoted\"\nsecret");
    assertThat(out.provider().web().body()).isEqualTo("{\"svc\": \"checkout\"}");
  }

  @Test
  void aJobSpecSurvivesSubstitution() {
    var args = new ResolvedArguments(Map.of("image", "tests:2"), Set.of());
    var jobSpec = new JobSpecBuilder().withBackoffLimit(0).withNewTemplate().withNewSpec().withRestartPolicy("Never")
        .addNewContainer().withName("t").withImage("{{args.image}}").withArgs("--fail-fast").endContainer()
        .endSpec().endTemplate().build();
    Metric metric = new Metric("smoke", null, null, null, null, null, null, null, null, null,
        new MetricProvider(null, null, new MetricProvider.Job(null, jobSpec)));

    Metric out = MetricTemplating.substitute(metric, args);

    var container = out.provider().job().spec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("tests:2");
    assertThat(container.getArgs()).containsExactly("--fail-fast");
    assertThat(out.provider().job().spec().getBackoffLimit()).isZero();
  }
}
