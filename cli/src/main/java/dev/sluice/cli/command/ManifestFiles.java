package dev.sluice.cli.command;

import dev.sluice.cli.CliException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the file given with -f; "-" is standard input. */
final class ManifestFiles {
  private ManifestFiles() {}

  static String read(String file, InputStream stdin) {
    try {
      if ("-".equals(file)) {
        return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
      }
      return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CliException("cannot read " + file + ": no such file");
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
