package dev.sluice.e2e.gitops;

import dev.sluice.e2e.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Flux (source-controller and kustomize-controller) and a Git server on the local cluster,
 * from {@code dev/gitops up} (which builds Flux the first time). Left running for the next test
 * class; {@code dev/cluster down} stops it with the cluster.
 */
final class FluxStack {
  private final Path repos;
  private final String gitUrl;

  private FluxStack(Path repos, String gitUrl) {
    this.repos = repos;
    this.gitUrl = gitUrl;
  }

  static FluxStack up(LocalCluster cluster) {
    Path root = cluster.repoRoot();
    // the first run builds Flux from Go modules: slow on a busy machine
    Processes.run(root, Duration.ofMinutes(60), "", List.of("dev/gitops", "up"));
    return new FluxStack(Path.of(Processes.run(root, Duration.ofSeconds(30), "", List.of("dev/gitops", "repos")).trim()),
        Processes.run(root, Duration.ofSeconds(30), "", List.of("dev/gitops", "git-url")).trim());
  }

  /** A new repository {@code name}.git served by the Git server, with a working copy to commit from. */
  GitRepo newRepository(String name, Path workDir) {
    return GitRepo.create(repos.resolve(name + ".git"), workDir, gitUrl + "/" + name + ".git");
  }
}
