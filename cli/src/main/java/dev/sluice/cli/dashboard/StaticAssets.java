package dev.sluice.cli.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** The page files in the jar under /dashboard: plain HTML, CSS and JavaScript, no build step. */
final class StaticAssets {
  /** A flat name with a known extension: nothing else is looked up, so no path can leave the folder. */
  private static final Pattern FILE = Pattern.compile("[a-z0-9-]+\\.(html|css|js|svg)");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "svg", "image/svg+xml");

  record Asset(byte[] bytes, String contentType) {}

  private final Map<String, Optional<Asset>> loaded = new ConcurrentHashMap<>();

  Optional<Asset> get(String file) {
    if (!FILE.matcher(file).matches()) return Optional.empty();
    return loaded.computeIfAbsent(file, StaticAssets::load);
  }

  private static Optional<Asset> load(String file) {
    try (InputStream in = StaticAssets.class.getResourceAsStream("/dashboard/" + file)) {
      if (in == null) return Optional.empty();
      String extension = file.substring(file.lastIndexOf('.') + 1);
      return Optional.of(new Asset(in.readAllBytes(), TYPES.get(extension)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dashboard/" + file + " from the jar", e);
    }
  }
}
