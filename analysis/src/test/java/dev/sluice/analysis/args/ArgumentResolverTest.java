package dev.sluice.analysis.args;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.analysis.AnalysisSpecException;
import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.AnalysisArgument.FieldRef;
import dev.sluice.api.v1alpha1.AnalysisArgument.SecretKeyRef;
import dev.sluice.api.v1alpha1.AnalysisArgument.ValueFrom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgumentResolverTest {
  private static final SecretLookup SECRETS = (name, key) -> {
    if (name.equals("prom") && key.equals("token")) {
      return "s3cr3t-t0ken";
    }
    throw new SecretLookupException("Secret \"" + name + "\" not found in namespace \"team\"");
  };

  private final ArgumentResolver resolver = new ArgumentResolver();

  private static AnalysisArgument value(String name, String value) {
    return new AnalysisArgument(name, value, null);
  }

  private static AnalysisArgument from(String name, ValueFrom from) {
    return new AnalysisArgument(name, null, from);
  }

  @Test
  void literalValuesAndSecretsAreResolvedAndOnlySecretsAreMarked() {
    ResolvedArguments args = resolver.resolve(List.of(
        value("service", "checkout"),
        from("token", new ValueFrom(new SecretKeyRef("prom", "token"), null, null))), ArgumentContext.none(), SECRETS);

    assertThat(args.values()).containsExactlyInAnyOrderEntriesOf(Map.of("service", "checkout", "token", "s3cr3t-t0ken"));
    assertThat(args.isSecret("token")).isTrue();
    assertThat(args.isSecret("service")).isFalse();
    assertThat(args.redactor().redact("Bearer s3cr3t-t0ken for checkout")).isEqualTo("Bearer ***** for checkout");
  }

  @Test
  void aMissingSecretNamesTheArgumentAndTheSecret() {
    assertThatThrownBy(() -> resolver.resolve(
        List.of(from("token", new ValueFrom(new SecretKeyRef("nope", "token"), null, null))), ArgumentContext.none(), SECRETS))
        .isInstanceOf(AnalysisSpecException.class)
        .hasMessage("argument \"token\": Secret \"nope\" not found in namespace \"team\"");
  }

  @Test
  void fieldRefReadsTheRollout() throws Exception {
    JsonNode rollout = new ObjectMapper().readTree("""
        {"metadata": {"name": "checkout", "labels": {"app.kubernetes.io/name": "shop"}},
         "spec": {"replicas": 4, "template": {"spec": {"containers": [{"image": "shop:2"}]}}}}""");
    var context = new ArgumentContext(rollout, null, null);

    ResolvedArguments args = resolver.resolve(List.of(
        from("name", new ValueFrom(null, new FieldRef("metadata.name"), null)),
        from("app", new ValueFrom(null, new FieldRef("metadata.labels['app.kubernetes.io/name']"), null)),
        from("replicas", new ValueFrom(null, new FieldRef("spec.replicas"), null)),
        from("image", new ValueFrom(null, new FieldRef("spec.template.spec.containers[0].image"), null))), context, SECRETS);

    assertThat(args.values()).containsExactlyInAnyOrderEntriesOf(
        Map.of("name", "checkout", "app", "shop", "replicas", "4", "image", "shop:2"));
    assertThatThrownBy(() -> resolver.resolve(
        List.of(from("x", new ValueFrom(null, new FieldRef("metadata.annotations.nope"), null))), context, SECRETS))
        .hasMessage("argument \"x\": fieldRef metadata.annotations.nope not found in the Rollout");
  }

  @Test
  void podTemplateHashValueGivesStableOrLatest() {
    var context = new ArgumentContext(null, "6d4f8c", "7b9a1e");
    ResolvedArguments args = resolver.resolve(List.of(
        from("stable", new ValueFrom(null, null, "Stable")),
        from("latest", new ValueFrom(null, null, "Latest"))), context, SECRETS);
    assertThat(args.values()).containsEntry("stable", "6d4f8c").containsEntry("latest", "7b9a1e");

    assertThatThrownBy(() -> resolver.resolve(List.of(from("x", new ValueFrom(null, null, "Canary"))), context, SECRETS))
        .hasMessage("argument \"x\": podTemplateHashValue must be Stable or Latest, not \"Canary\"");
    assertThatThrownBy(() -> resolver.resolve(List.of(from("x", new ValueFrom(null, null, "Stable"))), ArgumentContext.none(), SECRETS))
        .hasMessage("argument \"x\": the stable pod-template-hash is not known");
  }

  @Test
  void argumentsWithoutAUsableValueAreRejectedByName() {
    assertThatThrownBy(() -> resolver.resolve(List.of(value("service", null)), ArgumentContext.none(), SECRETS))
        .hasMessage("argument \"service\" has no value: the Rollout must supply it");
    assertThatThrownBy(() -> resolver.resolve(
        List.of(new AnalysisArgument("a", "1", new ValueFrom(null, null, "Stable"))), ArgumentContext.none(), SECRETS))
        .hasMessage("argument \"a\" has both value and valueFrom");
    assertThatThrownBy(() -> resolver.resolve(List.of(value("a", "1"), value("a", "2")), ArgumentContext.none(), SECRETS))
        .hasMessage("argument \"a\" is declared twice");
  }

  @Test
  void mergePutsTheRolloutsValuesIntoTheTemplatesDeclarations() {
    List<AnalysisArgument> declared = List.of(value("service", null), value("threshold", "0.95"), value("hash", null));
    List<AnalysisArgument> supplied = List.of(value("service", "checkout"),
        from("hash", new ValueFrom(null, null, "Latest")), value("unknown", "ignored"));

    assertThat(ArgumentResolver.merge(declared, supplied)).containsExactly(
        value("service", "checkout"), value("threshold", "0.95"), from("hash", new ValueFrom(null, null, "Latest")));
  }

  @Test
  void substitutionReplacesPlaceholdersAndRejectsUnknownOnes() {
    var args = new ResolvedArguments(Map.of("service", "checkout", "window", "5m"), java.util.Set.of());
    assertThat(args.substitute("rate(http{svc=\"{{args.service}}\"}[{{ args.window }}])", "metric \"m\""))
        .isEqualTo("rate(http{svc=\"checkout\"}[5m])");
    assertThat(args.substitute("no placeholders $1 \\ here", "metric \"m\"")).isEqualTo("no placeholders $1 \\ here");
    assertThatThrownBy(() -> args.substitute("{{args.servce}}", "metric \"m\""))
        .hasMessage("metric \"m\" uses {{args.servce}}, but the run has no argument \"servce\"");
  }

  @Test
  void aRolloutResolvesItsOwnFieldsAndHashesButLeavesSecretsAsReferences() {
    var secret = from("token", new ValueFrom(new SecretKeyRef("prom", "token"), null, null));
    List<AnalysisArgument> forTheRun = ArgumentResolver.resolveFromRollout(List.of(
        value("service", "checkout"),
        from("latest", new ValueFrom(null, null, "Latest")),
        secret), new ArgumentContext(null, "6d4f8c", "7b9a1e"));

    assertThat(forTheRun).containsExactly(value("service", "checkout"), value("latest", "7b9a1e"), secret);
    assertThatThrownBy(() -> ArgumentResolver.resolveFromRollout(List.of(from("x", new ValueFrom(null, null, "Stable"))),
        ArgumentContext.none())).hasMessage("argument \"x\": the stable pod-template-hash is not known");
  }
}
