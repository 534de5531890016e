package dev.sluice.cli.kube;

import java.nio.file.Path;

/** Which cluster and namespace, as chosen by kubectl-style flags; null means "as the kubeconfig says". */
public record ClusterOptions(Path kubeconfig, String context, String namespace, boolean allNamespaces) {}
