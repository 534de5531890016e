package dev.sluice.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.analysis.args.ArgumentContext;
import dev.sluice.analysis.args.SecretLookup;
import dev.sluice.analysis.args.SecretLookupException;
import dev.sluice.analysis.args.SecretUnavailableException;
import dev.sluice.analysis.condition.CelValues;
import dev.sluice.analysis.condition.ConditionEvaluator;
import dev.sluice.analysis.provider.MeasurementProvider;
import dev.sluice.analysis.provider.MeasurementProviders;
import dev.sluice.analysis.provider.ProviderResult;
import dev.sluice.analysis.provider.RunReference;
import dev.sluice.analysis.run.DueMeasurement;
import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.AnalysisArgument.SecretKeyRef;
import dev.sluice.api.v1alpha1.AnalysisArgument.ValueFrom;
import dev.sluice.api.v1alpha1.AnalysisRunSpec;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class MeasurementTakerTest {
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00.250Z");
  private static final RunReference RUN = new RunReference("team", "run", "uid", "sluice.dev/v1alpha1", "AnalysisRun");
  private static final SecretLookup SECRETS = (name, key) -> name.equals("api") ? "tok-SECRET" : "pw-SECRET";

  /** A provider answering what the test says; the run passes the web metric's secret as {{args.token}}. */
  private static Measurement take(Function<dev.sluice.analysis.provider.MeasurementContext, ProviderResult> answer, String success) {
    MeasurementProvider provider = answer::apply;
    Metric metric = new Metric("web", null, null, null, success, null, null, null, null, null,
        new MetricProvider(null, new MetricProvider.Web("http://h/?key={{args.token}}", null, null, null, null, null, null, null), null));
    var args = List.of(new AnalysisArgument("token", null, new ValueFrom(new SecretKeyRef("api", "k"), null, null)));
    PreparedRun run = new AnalysisRunPreparer(new ConditionEvaluator())
        .prepare(new AnalysisRunSpec(List.of(metric), args, null, null, null), ArgumentContext.none(), SECRETS);
    var taker = new MeasurementTaker(new MeasurementProviders(provider, provider, provider, provider), Clock.fixed(NOW, ZoneOffset.UTC));
    return taker.take(new DueMeasurement("web", 1, null, true), NOW, run, RUN, SECRETS);
  }

  /** As above, with the provider's own Secret reads going to {@code providerSecrets}. */
  private static Measurement takeWithSecrets(Function<dev.sluice.analysis.provider.MeasurementContext, ProviderResult> answer, SecretLookup providerSecrets) {
    MeasurementProvider provider = answer::apply;
    Metric metric = new Metric("web", null, null, null, null, null, null, null, null, null,
        new MetricProvider(null, new MetricProvider.Web("http://h/", null, null, null, null, null, null, null), null));
    PreparedRun run = new AnalysisRunPreparer(new ConditionEvaluator())
        .prepare(new AnalysisRunSpec(List.of(metric), List.of(), null, null, null), ArgumentContext.none(), SECRETS);
    var taker = new MeasurementTaker(new MeasurementProviders(provider, provider, provider, provider), Clock.fixed(NOW, ZoneOffset.UTC));
    return taker.take(new DueMeasurement("web", 1, null, true), NOW, run, RUN, providerSecrets);
  }

  @Test
  void theConditionsJudgeTheValue() {
    Measurement m = take(c -> new ProviderResult.Observed("0.97", 0.97, null), "result >= 0.95");
    assertThat(m).isEqualTo(new Measurement("Successful", "0.97", "2025-03-01T10:00:00.250Z", "2025-03-01T10:00:00.250Z", null, null));
    assertThat(take(c -> new ProviderResult.Observed("0.5", 0.5, null), "result >= 0.95").phase()).isEqualTo("Failed");
  }

  @Test
  void aNoteFromTheProviderComesFirstInTheMessage() {
    Measurement m = take(c -> new ProviderResult.Observed("[]", CelValues.of(List.of()), "the query returned an empty result"), "result[0] >= 0.95");
    assertThat(m.phase()).isEqualTo("Error");
    assertThat(m.message()).startsWith("the query returned an empty result; successCondition \"result[0] >= 0.95\" cannot be evaluated on []");
  }

  @Test
  void failuresAndExceptionsAreErrorMeasurements() {
    assertThat(take(c -> new ProviderResult.Failure("web metric at http://h/ answered HTTP 500: oops"), null))
        .isEqualTo(new Measurement("Error", null, "2025-03-01T10:00:00.250Z", "2025-03-01T10:00:00.250Z",
            "web metric at http://h/ answered HTTP 500: oops", null));
    assertThat(take(c -> { throw new IllegalStateException("boom"); }, null).message())
        .isEqualTo("the provider failed: java.lang.IllegalStateException: boom");
  }

  @Test
  void anInProgressMeasurementHasNoFinishTime() {
    Measurement m = take(c -> new ProviderResult.InProgress("Job run-web-1 is running", null), null);
    assertThat(m.phase()).isEqualTo("Running");
    assertThat(m.finishedAt()).isNull();
  }

  @Test
  void secretArgumentsAndCredentialsTheProviderReadAreMasked() {
    Measurement fromArgs = take(c -> new ProviderResult.Failure("cannot reach " + c.metric().provider().web().url()), null);
    assertThat(fromArgs.message()).isEqualTo("cannot reach http://h/?key=*****");

    Measurement fromProvider = take(c -> new ProviderResult.Observed(c.secrets().value("basic", "pw"), "x",
        "echoed " + c.secrets().value("basic", "pw")), null);
    assertThat(fromProvider.value()).isEqualTo("*****");
    assertThat(fromProvider.message()).isEqualTo("echoed *****");
  }

  @Test
  void aHugeValueIsJudgedWholeButStatusKeepsOnlyItsBeginning() {
    String huge = "[" + "1,".repeat(450_000) + "0]";
    Measurement m = take(c -> new ProviderResult.Observed(huge, CelValues.of(List.of(1L, 0L)), null), "result[1] == 1");

    assertThat(m.phase()).isEqualTo("Failed");
    assertThat(m.value()).hasSize(MeasurementTaker.MAX_VALUE_CHARS + 3).startsWith("[1,1,1,").endsWith("...");
    assertThat(m.message()).startsWith("the value is 900003 characters long; status keeps the first 2048; successCondition \"result[1] == 1\" is false for [1,1,");
    assertThat(m.message().length()).isLessThanOrEqualTo(MeasurementTaker.MAX_MESSAGE_CHARS + 3);
  }

  @Test
  void aSecretAtTheCutIsMaskedBeforeTheValueIsCut() {
    String value = "x".repeat(MeasurementTaker.MAX_VALUE_CHARS - 4) + "tok-SECRET";
    Measurement m = take(c -> new ProviderResult.Observed(value, value, null), null);
    assertThat(m.value()).doesNotContain("tok-").contains("xxxx****");
  }

  @Test
  void aSecretThatCannotBeReadForNowIsNotAnErrorMeasurement() {
    assertThatThrownBy(() -> takeWithSecrets(c -> {
      c.secrets().value("prom-auth", "token");
      return new ProviderResult.Observed("1", 1L, null);
    }, (name, key) -> {
      throw new SecretUnavailableException("Secret \"prom-auth\" in namespace \"team\" could not be read now (HTTP 503); trying again");
    })).isInstanceOf(SecretUnavailableException.class).hasMessageContaining("HTTP 503");
  }

  @Test
  void aMissingSecretStaysAnErrorMeasurement() {
    Measurement m = takeWithSecrets(c -> {
      c.secrets().value("prom-auth", "token");
      return new ProviderResult.Observed("1", 1L, null);
    }, (name, key) -> {
      throw new SecretLookupException("Secret \"prom-auth\" not found in namespace \"team\"");
    });
    assertThat(m.phase()).isEqualTo("Error");
    assertThat(m.message()).contains("Secret \"prom-auth\" not found");
  }
}
