package dev.sluice.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.analysis.args.ArgumentContext;
import dev.sluice.analysis.args.SecretLookup;
import dev.sluice.analysis.args.SecretLookupException;
import dev.sluice.analysis.condition.ConditionEvaluator;
import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.AnalysisArgument.SecretKeyRef;
import dev.sluice.api.v1alpha1.AnalysisArgument.ValueFrom;
import dev.sluice.api.v1alpha1.AnalysisRunSpec;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalysisRunPreparerTest {
  private static final SecretLookup SECRETS = (name, key) -> {
    if (name.equals("creds")) return "hunter2";
    throw new SecretLookupException("Secret \"" + name + "\" not found in namespace \"team\"");
  };
  private final AnalysisRunPreparer preparer = new AnalysisRunPreparer(new ConditionEvaluator());

  private static Metric prometheus(String name, String query, String success) {
    return new Metric(name, null, null, null, success, null, null, null, null, null,
        new MetricProvider(new MetricProvider.Prometheus("http://127.0.0.1:9090", query, null, null, null, null), null, null));
  }

  private static AnalysisRunSpec spec(List<AnalysisArgument> args, Metric... metrics) {
    return new AnalysisRunSpec(List.of(metrics), args, null, null, null);
  }

  @Test
  void argumentsAreSubstitutedAndConditionsCompiled() {
    PreparedRun run = preparer.prepare(spec(List.of(new AnalysisArgument("svc", "checkout", null)),
        prometheus("errors", "rate(errors{svc=\"{{args.svc}}\"}[1m])", "result[0] < 0.05")), ArgumentContext.none(), SECRETS);

    assertThat(run.metric("errors").metric().provider().prometheus().query()).isEqualTo("rate(errors{svc=\"checkout\"}[1m])");
    assertThat(run.metric("errors").conditions().assess(List.of(0.01), "[0.01]").phase()).isEqualTo(AnalysisPhase.Successful);
    assertThat(run.settings()).extracting(s -> s.name()).containsExactly("errors");
    assertThat(run.terminate()).isFalse();
  }

  @Test
  void aConditionThatDoesNotCompileNamesTheMetricAndTheCondition() {
    assertThatThrownBy(() -> preparer.prepare(spec(null, prometheus("errors", "up", "result[0] <")), ArgumentContext.none(), SECRETS))
        .isInstanceOf(AnalysisSpecException.class)
        .hasMessageStartingWith("metric \"errors\": successCondition \"result[0] <\" does not compile: ");
  }

  @Test
  void aSecretSubstitutedIntoABrokenConditionIsMaskedInTheMessage() {
    var args = List.of(new AnalysisArgument("pw", null, new ValueFrom(new SecretKeyRef("creds", "pw"), null, null)));
    assertThatThrownBy(() -> preparer.prepare(spec(args, prometheus("m", "up", "result == '{{args.pw}}' &&")), ArgumentContext.none(), SECRETS))
        .hasMessageContaining("'*****'").hasMessageNotContaining("hunter2");
  }

  @Test
  void missingSecretsUnknownArgumentsAndProviderMistakesAreNamed() {
    var missing = List.of(new AnalysisArgument("token", null, new ValueFrom(new SecretKeyRef("nope", "t"), null, null)));
    assertThatThrownBy(() -> preparer.prepare(spec(missing, prometheus("m", "up", null)), ArgumentContext.none(), SECRETS))
        .hasMessage("argument \"token\": Secret \"nope\" not found in namespace \"team\"");
    assertThatThrownBy(() -> preparer.prepare(spec(null, prometheus("m", "up{svc=\"{{args.svc}}\"}", null)), ArgumentContext.none(), SECRETS))
        .hasMessage("metric \"m\" uses {{args.svc}}, but the run has no argument \"svc\"");
    Metric both = new Metric("two", null, null, null, null, null, null, null, null, null, new MetricProvider(
        new MetricProvider.Prometheus("http://p", "up", null, null, null, null), new MetricProvider.Web("http://w", null, null, null, null, null, null, null), null));
    assertThatThrownBy(() -> preparer.prepare(spec(null, both), ArgumentContext.none(), SECRETS))
        .hasMessage("metric \"two\" needs exactly one provider (prometheus, web, job or judge), not 2");
    assertThatThrownBy(() -> preparer.prepare(spec(null, prometheus("m", "up", null), prometheus("m", "up", null)), ArgumentContext.none(), SECRETS))
        .hasMessage("metric \"m\" is defined twice");
    assertThatThrownBy(() -> preparer.prepare(spec(null), ArgumentContext.none(), SECRETS)).hasMessage("the run has no metrics");
  }

  @Test
  void aProviderTimeoutAboveTwoMinutesIsRefused() {
    Metric slowWeb = new Metric("slow", null, null, null, null, null, null, null, null, null,
        new MetricProvider(null, new MetricProvider.Web("http://w", null, null, null, null, 86_400, null, null), null));
    assertThatThrownBy(() -> preparer.prepare(spec(null, slowWeb), ArgumentContext.none(), SECRETS))
        .hasMessage("metric \"slow\": web timeoutSeconds 86400 is more than 120 seconds, the longest a measurement may wait");
    Metric slowPrometheus = new Metric("slow", null, null, null, null, null, null, null, null, null,
        new MetricProvider(new MetricProvider.Prometheus("http://p", "up", 121, null, null, null), null, null));
    assertThatThrownBy(() -> preparer.prepare(spec(null, slowPrometheus), ArgumentContext.none(), SECRETS))
        .hasMessage("metric \"slow\": prometheus timeout 121 is more than 120 seconds, the longest a measurement may wait");
  }

  @Test
  void aDryRunRuleThatMatchesNoMetricIsASpecErrorLikeArgos() {
    AnalysisRunSpec typo = new AnalysisRunSpec(List.of(prometheus("error-rate", "up", null), prometheus("latency", "up", null)), null, null,
        List.of(new RolloutAnalysis.DryRun("^errors$")), null);
    assertThatThrownBy(() -> preparer.prepare(typo, ArgumentContext.none(), SECRETS))
        .isInstanceOf(AnalysisSpecException.class)
        .hasMessage("dryRun[0]: metricName \"^errors$\" matches no metric of the run (metrics: error-rate, latency)");
    AnalysisRunSpec retention = new AnalysisRunSpec(List.of(prometheus("latency", "up", null)), null, null, null,
        List.of(new RolloutAnalysis.MeasurementRetention("rate", 3)));
    assertThatThrownBy(() -> preparer.prepare(retention, ArgumentContext.none(), SECRETS))
        .hasMessageStartingWith("measurementRetention[0]: metricName \"rate\" matches no metric");
    AnalysisRunSpec everything = new AnalysisRunSpec(List.of(prometheus("error-rate", "up", null), prometheus("latency", "up", null)), null, null,
        List.of(new RolloutAnalysis.DryRun(".*")), null);
    assertThat(preparer.prepare(everything, ArgumentContext.none(), SECRETS).settings()).allMatch(s -> s.dryRun());
  }
}
