package dev.sluice.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs a test class against the real local control plane: makes sure {@code dev/cluster} is up
 * and the CRDs applied, gives the class its own namespace, and deletes it afterwards. Test methods
 * and constructors may take {@link KubernetesClient}, {@link LocalCluster} or {@link TestNamespace}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealCluster.Extension.class)
public @interface RealCluster {

  record TestNamespace(String name) {}

  class Extension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(RealCluster.class);

    @Override
    public void beforeAll(ExtensionContext context) {
      LocalCluster cluster = LocalCluster.get();
      String name = ("e2e-" + context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT)).replaceAll("[^a-z0-9-]", "")
          + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
      name = name.length() > 63 ? name.substring(name.length() - 63) : name;
      cluster.client().resource(new NamespaceBuilder().withNewMetadata().withName(name)
          .addToLabels("sluice.dev/e2e", "true").endMetadata().build()).create();
      context.getStore(STORE).put(TestNamespace.class, new TestNamespace(name));
    }

    @Override
    public void afterAll(ExtensionContext context) {
      TestNamespace ns = context.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
      if (ns != null) {
        var client = LocalCluster.get().client();
        // the class's controller is gone, so nothing will release Sluice's finalizer: take it off
        // (the documented way out), or the namespace stays Terminating and its Rollouts with it
        for (var rollout : client.genericKubernetesResources("sluice.dev/v1alpha1", "Rollout").inNamespace(ns.name()).list().getItems()) {
          if (rollout.getMetadata().getFinalizers() != null && !rollout.getMetadata().getFinalizers().isEmpty()) {
            client.genericKubernetesResources("sluice.dev/v1alpha1", "Rollout").inNamespace(ns.name())
                .withName(rollout.getMetadata().getName())
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                    "{\"metadata\":{\"finalizers\":null}}");
          }
        }
        client.namespaces().withName(ns.name()).delete();
      }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
      Class<?> t = p.getParameter().getType();
      return t == KubernetesClient.class || t == LocalCluster.class || t == TestNamespace.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
      Class<?> t = p.getParameter().getType();
      if (t == KubernetesClient.class) return LocalCluster.get().client();
      if (t == LocalCluster.class) return LocalCluster.get();
      return e.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
    }
  }
}
