package dev.sluice.e2e.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A kustomize overlay written for one test: it takes a directory of {@code deploy/} into the test's
 * own namespace (service-account subjects of the bindings included) and, optionally, suffixes every
 * name so cluster-scoped objects cannot clash with anyone else's.
 */
final class KustomizeOverlay {
  private KustomizeOverlay() {}

  /**
   * @param dir where the overlay's kustomization.yaml is written (an empty directory)
   * @param base the kustomization directory to render, e.g. deploy/base
   * @param nameSuffix appended to every name; empty for none
   * @return dir, ready for {@code kubectl kustomize} or {@code kubectl apply -k}
   */
  static Path write(Path dir, Path base, String namespace, String nameSuffix) {
    // kustomize accepts a directory anywhere, as long as it is named relative to the overlay
    String relativeBase = dir.toAbsolutePath().relativize(base.toAbsolutePath()).toString();
    String kustomization = """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
        - %s
        %s
        transformers:
        - |-
          apiVersion: builtin
          kind: NamespaceTransformer
          metadata:
            name: into-the-test-namespace
            namespace: %s
          # by default only subjects in namespace "default" move along
          setRoleBindingSubjects: allServiceAccounts
        """.formatted(relativeBase, nameSuffix.isEmpty() ? "" : "nameSuffix: " + nameSuffix, namespace);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("kustomization.yaml"), kustomization);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }
}
