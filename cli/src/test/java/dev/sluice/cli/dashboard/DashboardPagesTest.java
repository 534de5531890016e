package dev.sluice.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The page files as the jar holds them. */
class DashboardPagesTest {
  private static final Pattern ASSET = Pattern.compile("\"/assets/([^\"]+)\"");

  @ParameterizedTest
  @ValueSource(strings = {"index.html", "rollout.html"})
  void everyFileAPageLoadsIsInTheJarAndServed(String page) {
    Matcher assets = ASSET.matcher(read(page));
    int found = 0;
    while (assets.find()) {
      assertThat(new StaticAssets().get(assets.group(1))).as(assets.group(1)).isPresent();
      found++;
    }
    assertThat(found).isGreaterThanOrEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"common.js", "list.js", "rollout.js"})
  void scriptsNeverParseTextAsHtml(String script) {
    // data from the cluster becomes text nodes and attributes only (see common.js); these would parse it as markup
    assertThat(read(script)).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
        "new Function", "setAttribute('style'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../dashboard/index.html", "index.HTML", "rollout.html/", "x.class", "", "..", "a/b.js"})
  void onlyFlatNamesOfPageFilesAreServed(String name) {
    assertThat(new StaticAssets().get(name)).isEmpty();
  }

  private static String read(String file) {
    try (InputStream in = DashboardPagesTest.class.getResourceAsStream("/dashboard/" + file)) {
      assertThat(in).as(file).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
