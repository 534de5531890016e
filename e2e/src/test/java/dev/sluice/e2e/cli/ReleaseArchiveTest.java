package dev.sluice.e2e.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `mvn package` builds for installing the plugin (no cluster needed): the release archive
 * with the launcher and the jar, the krew manifest naming it with its sha256, and the class-data
 * sharing archive the launcher starts with.
 */
class ReleaseArchiveTest {
  private final Path cliTarget = Path.of(System.getProperty("sluice.repoRoot", "..")).toAbsolutePath().normalize()
      .resolve("cli/target");

  record Result(int exitCode, String out, String err) {}

  private Path releaseArchive() throws IOException {
    try (Stream<Path> files = Files.list(cliTarget)) {
      List<Path> archives = files.filter(p -> p.getFileName().toString().matches("kubectl-sluice-.+\\.tar\\.gz")).toList();
      assertThat(archives).as("the release archive; mvn -pl cli -am package builds it").hasSize(1);
      return archives.get(0);
    }
  }

  private static Result run(List<String> command, Map<String, String> env, Path dir) throws Exception {
    Path out = Files.createTempFile("kubectl-sluice-out", ".txt");
    Path err = Files.createTempFile("kubectl-sluice-err", ".txt");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within 120s");
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void theKrewManifestNamesTheArchiveWithItsSha256AndLayout() throws Exception {
    Path archive = releaseArchive();
    JsonNode manifest = new YAMLMapper().readTree(cliTarget.resolve("sluice.yaml").toFile());
    JsonNode platform = manifest.path("spec").path("platforms").get(0);
    String topDirectory = archive.getFileName().toString().replace(".tar.gz", "");

    assertThat(manifest.path("kind").asText()).isEqualTo("Plugin");
    assertThat(manifest.path("metadata").path("name").asText()).isEqualTo("sluice");
    assertThat(manifest.path("spec").path("version").asText()).isEqualTo("v" + topDirectory.replace("kubectl-sluice-", ""));
    assertThat(platform.path("sha256").asText()).isEqualTo(sha256(archive));
    assertThat(platform.path("uri").asText()).endsWith("/" + archive.getFileName());
    assertThat(platform.path("bin").asText()).isEqualTo("kubectl-sluice");
    assertThat(platform.path("files").get(0).path("from").asText()).isEqualTo(topDirectory + "/*");
  }

  @Test
  void theUnpackedArchiveRunsThroughASymlinkAsKrewInstallsIt(@TempDir Path dir) throws Exception {
    Path archive = releaseArchive();
    Result untar = run(List.of("tar", "xzf", archive.toString(), "-C", dir.toString()), Map.of(), dir);
    assertThat(untar.exitCode()).as(untar.err()).isZero();
    Path unpacked = dir.resolve(archive.getFileName().toString().replace(".tar.gz", ""));
    try (Stream<Path> files = Files.list(unpacked)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("kubectl-sluice", "kubectl_complete-sluice", "kubectl-sluice.jar", "README.md");
    }
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("kubectl-sluice"), unpacked.resolve("kubectl-sluice"));

    Result version = run(List.of(bin.resolve("kubectl-sluice").toString(), "version"), Map.of(), dir);
    Result help = run(List.of(bin.resolve("kubectl-sluice").toString(), "get", "rollout", "--help"), Map.of(), dir);

    assertThat(version.out()).matches("kubectl-sluice \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
    assertThat(version.err()).isEmpty();
    assertThat(version.exitCode()).isZero();
    assertThat(help.out()).startsWith("Usage: kubectl sluice get rollout ");
    assertThat(help.exitCode()).isZero();
  }

  @Test
  void theLauncherStartsWithTheBuildsClassDataSharingArchive(@TempDir Path dir) throws Exception {
    Path launcher = cliTarget.resolve("../bin/kubectl-sluice").normalize();
    assertThat(cliTarget.resolve("kubectl-sluice.jsa")).as("made by mvn package").exists();

    Result result = run(List.of(launcher.toString(), "--help"), Map.of("SLUICE_CLI_JAVA_OPTS", "-Xlog:class+load=info"), dir);

    assertThat(result.out()).contains("dev.sluice.cli.SluiceCli source: shared objects file");
    assertThat(result.out()).as("picocli too: a static archive holds Java 5 class files")
        .contains("picocli.CommandLine source: shared objects file");
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void aJarRebuiltAfterTheArchiveStartsWithTheJdksOwnArchive(@TempDir Path dir) throws Exception {
    Files.copy(cliTarget.resolve("kubectl-sluice.jsa"), dir.resolve("kubectl-sluice.jsa"));
    Files.copy(cliTarget.resolve("kubectl-sluice.jsa.jdk"), dir.resolve("kubectl-sluice.jsa.jdk"));
    Path jar = Files.copy(cliTarget.resolve("kubectl-sluice.jar"), dir.resolve("kubectl-sluice.jar"));
    Files.setLastModifiedTime(dir.resolve("kubectl-sluice.jsa"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    Path launcher = cliTarget.resolve("../bin/kubectl-sluice").normalize();

    Result result = run(List.of(launcher.toString(), "version"),
        Map.of("SLUICE_CLI_JAR", jar.toString(), "SLUICE_CLI_JAVA_OPTS", "-Xlog:class+load=info"), dir);

    // the stale archive would be rejected and leave the JVM without any: the launcher does not pass it
    assertThat(result.out()).contains("java.lang.Object source: shared objects file")
        .contains("dev.sluice.cli.SluiceCli source: file:");
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void aJarTheArchiveWasNotMadeForStartsWithoutItSilently(@TempDir Path dir) throws Exception {
    Path jar = Files.copy(cliTarget.resolve("kubectl-sluice.jar"), dir.resolve("kubectl-sluice.jar"));
    Files.copy(cliTarget.resolve("kubectl-sluice.jsa"), dir.resolve("kubectl-sluice.jsa"));
    Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    Path launcher = cliTarget.resolve("../bin/kubectl-sluice").normalize();

    Result result = run(List.of(launcher.toString(), "version"), Map.of("SLUICE_CLI_JAR", jar.toString()), dir);

    assertThat(result.out()).startsWith("kubectl-sluice ");
    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isZero();
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
