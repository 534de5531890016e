package dev.sluice.e2e.gitops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A bare repository the Git server serves over HTTP, and a working copy a person commits and pushes
 * from (pushed through the file system: the server is read-only). Branch {@code main}.
 */
final class GitRepo {
  private final Path work;
  private final String url;

  private GitRepo(Path work, String url) {
    this.work = work;
    this.url = url;
  }

  static GitRepo create(Path bare, Path work, String url) {
    try {
      Files.createDirectories(bare.getParent());
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git(bare.getParent(), "init", "--quiet", "--bare", "--initial-branch=main", bare.getFileName().toString());
    git(work, "init", "--quiet", "--initial-branch=main");
    git(work, "remote", "add", "origin", bare.toString());
    return new GitRepo(work, url);
  }

  /** The repository's URL on the Git server. */
  String url() {
    return url;
  }

  /** Writes the files (path relative to the repository → content), commits and pushes; returns the commit's SHA. */
  String commit(String message, Map<String, String> files) {
    try {
      for (var file : files.entrySet()) {
        Path path = work.resolve(file.getKey());
        Files.createDirectories(path.getParent());
        Files.writeString(path, file.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git(work, "add", "--all");
    git(work, "commit", "--quiet", "-m", message);
    return push();
  }

  /** {@code git revert} of a commit, pushed; returns the new commit's SHA. */
  String revert(String sha) {
    git(work, "revert", "--no-edit", sha);
    return push();
  }

  private String push() {
    git(work, "push", "--quiet", "origin", "main");
    return git(work, "rev-parse", "HEAD").trim();
  }

  private static String git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Sluice e2e", "-c", "user.email=e2e@sluice.dev",
        "-c", "commit.gpgsign=false"));
    command.addAll(List.of(args));
    return Processes.run(dir, Duration.ofMinutes(1), "", command);
  }
}
