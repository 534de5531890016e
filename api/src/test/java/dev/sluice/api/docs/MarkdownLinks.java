package dev.sluice.api.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The relative links of a Markdown file, and those that do not lead to a file of the repository
 * (or to a heading of it, for {@code file.md#heading}). Links to other sites are not followed.
 */
final class MarkdownLinks {
  private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");
  private static final Pattern CODE_SPAN = Pattern.compile("`[^`\n]*`");
  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$");
  private static final Pattern EXTERNAL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  private MarkdownLinks() {}

  /** The link targets of {@code markdown}, outside code blocks and code spans. */
  static List<String> targets(String markdown) {
    String text = CODE_SPAN.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
    List<String> targets = new ArrayList<>();
    Matcher m = LINK.matcher(text);
    while (m.find()) {
      targets.add(m.group(1));
    }
    return targets;
  }

  /** Each relative link of {@code file} that leads nowhere inside {@code root}, with the reason. */
  static List<String> broken(Path file, Path root) {
    Path repository = root.toAbsolutePath().normalize();
    List<String> broken = new ArrayList<>();
    for (String target : targets(read(file))) {
      if (EXTERNAL.matcher(target).find()) {
        continue;
      }
      int hash = target.indexOf('#');
      String path = hash < 0 ? target : target.substring(0, hash);
      String anchor = hash < 0 ? null : target.substring(hash + 1);
      Path resolved = path.isEmpty() ? file : file.toAbsolutePath().getParent().resolve(path).normalize();
      if (!resolved.startsWith(repository)) {
        broken.add(target + ": outside the repository");
      } else if (!Files.exists(resolved)) {
        broken.add(target + ": no such file");
      } else if (anchor != null && resolved.toString().endsWith(".md") && !anchors(read(resolved)).contains(anchor)) {
        broken.add(target + ": no heading \"" + anchor + "\" in " + repository.relativize(resolved));
      }
    }
    return broken;
  }

  /** GitHub's anchors for the headings: lower case, punctuation dropped, spaces as hyphens. */
  static Set<String> anchors(String markdown) {
    String text = FENCE.matcher(markdown).replaceAll("");
    return HEADING.matcher(text).results()
        .map(h -> h.group(1).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'))
        .collect(Collectors.toSet());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
