package dev.sluice.api.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every relative link in README.md and docs/*.md leads to a file (and heading) of the repository. */
class DocumentationLinksTest {
  private final Path root = Path.of(System.getProperty("sluice.repositoryRoot"));

  @Test
  void everyRelativeLinkOfTheUserDocumentationResolves() throws IOException {
    List<Path> documents = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    assertThat(documents).as("docs/ holds the user documentation").hasSizeGreaterThan(5);

    int links = 0;
    List<String> broken = new ArrayList<>();
    for (Path document : documents) {
      links += MarkdownLinks.targets(Files.readString(document)).size();
      MarkdownLinks.broken(document, root).forEach(b -> broken.add(root.relativize(document) + ": " + b));
    }
    assertThat(links).as("links found").isGreaterThan(20);
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  void aMissingFileAMissingHeadingAndALinkOutOfTheRepositoryAreReported(@TempDir Path repo) throws IOException {
    Files.createDirectories(repo.resolve("docs"));
    Files.writeString(repo.resolve("docs/api.md"), "# API\n\n## The status field\n\n```\n# not a heading\n```\n");
    Path index = repo.resolve("docs/README.md");
    Files.writeString(index, """
        [api](api.md) and [status](api.md#the-status-field) and [web](https://example.com/x.md)
        [gone](cli.md), [no heading](api.md#not-a-heading), [outside](../../shared/api.md)
        `[in code](nowhere.md)` and [top](#docs)

        # Docs
        ```
        [in a block](nowhere.md)
        ```
        """);

    assertThat(MarkdownLinks.broken(index, repo)).containsExactly(
        "cli.md: no such file",
        "api.md#not-a-heading: no heading \"not-a-heading\" in docs/api.md",
        "../../shared/api.md: outside the repository");
  }
}
