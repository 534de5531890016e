package dev.sluice.e2e.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An image in an OCI image layout tar (what Jib's buildTar writes with the OCI format): its name, the
 * parts of its config a runtime uses, and its layers, which {@link #unpack} stacks into a root file system.
 */
public record OciImage(String name, List<String> entrypoint, List<String> cmd, List<String> env, String user,
    List<Path> layers) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Extracts {@code tar} into {@code dir} and reads its one image. */
  public static OciImage read(Path tar, Path dir) {
    if (!Files.exists(tar)) {
      throw new IllegalStateException(tar + " is missing: `mvn verify` builds it (the controller's image profile is on unless -DskipImage)");
    }
    run(List.of("tar", "-xf", tar.toString(), "-C", dir.toString()));
    JsonNode manifests = readJson(dir.resolve("index.json")).path("manifests");
    if (manifests.size() != 1) throw new IllegalStateException("expected one image in " + tar + ", found " + manifests.size());
    JsonNode index = manifests.get(0);
    JsonNode manifest = readJson(blob(dir, index.path("digest").asText()));
    JsonNode config = readJson(blob(dir, manifest.path("config").path("digest").asText())).path("config");
    List<Path> layers = new ArrayList<>();
    for (JsonNode layer : manifest.path("layers")) {
      if (!layer.path("mediaType").asText().endsWith(".tar+gzip")) {
        throw new IllegalStateException("unexpected layer type " + layer.path("mediaType").asText());
      }
      layers.add(blob(dir, layer.path("digest").asText()));
    }
    return new OciImage(index.path("annotations").path("org.opencontainers.image.ref.name").asText(),
        strings(config.path("Entrypoint")), strings(config.path("Cmd")), strings(config.path("Env")),
        config.path("User").asText(), List.copyOf(layers));
  }

  /** The layers in order, as a runtime's snapshotter stacks them (Jib writes no whiteout files; they would fail here). */
  public void unpack(Path rootfs) {
    for (Path layer : layers) {
      // GNU tar does not know the creation-time header of the library Jib writes layers with
      run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", layer.toString(), "-C", rootfs.toString()));
    }
    try (Stream<Path> files = Files.walk(rootfs)) {
      List<Path> whiteouts = files.filter(f -> f.getFileName().toString().startsWith(".wh.")).toList();
      if (!whiteouts.isEmpty()) throw new IllegalStateException("whiteout files are not handled here: " + whiteouts);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The layers' size as pulled (gzip-compressed), in bytes. */
  public long compressedBytes() {
    return layers.stream().mapToLong(l -> {
      try {
        return Files.size(l);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).sum();
  }

  private static Path blob(Path dir, String digest) {
    return dir.resolve("blobs").resolve(digest.replace(':', '/'));
  }

  private static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return List.copyOf(values);
  }

  static void run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
