package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line as a user meets it, without a cluster: usage errors, offline commands, unreachable servers. */
class SluiceCliTest {
  private static final String TOKEN = "s3cr3t-token-do-not-print";

  @TempDir
  static Path dir;
  static Path unreachableKubeconfig;

  record Result(int exitCode, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = SluiceCli.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(exitCode, out.toString(), err.toString());
  }

  @BeforeAll
  static void kubeconfigForAServerThatIsNotThere() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    unreachableKubeconfig = dir.resolve("kubeconfig");
    Files.writeString(unreachableKubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: gone, cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}}]
        users: [{name: bob, user: {token: %s}}]
        contexts: [{name: gone, context: {cluster: gone, user: bob, namespace: shop}}]
        current-context: gone
        """.formatted(port, TOKEN));
  }

  private static String resource(String path) {
    return Path.of("src/test/resources", path).toString();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      promote --bogus web                  | error: Unknown option: '--bogus' (see 'kubectl sluice promote --help')
      promote                              | error: Missing required parameter: 'NAME' (see 'kubectl sluice promote --help')
      frobnicate                           | error: Unmatched argument at index 2: 'frobnicate' (see 'kubectl sluice --help')
      get                                  | error: say what to get, e.g. get rollout NAME (see 'kubectl sluice get --help')
      status web --timeout soon            | error: Invalid value for option '--timeout': invalid duration "soon": expected integer seconds or a Go duration such as 30s, 5m, 1h30m, 250ms (see 'kubectl sluice status --help')
      status web --watch=false -t 5m       | error: --timeout is for the watch: it cannot go with --watch=false (see 'kubectl sluice status --help')
      status web --watch=maybe             | error: Invalid value for option '--watch': 'maybe' is not a boolean (see 'kubectl sluice status --help')
      set image web app                    | error: expected CONTAINER=IMAGE, got "app" (see 'kubectl sluice set image --help')
      undo web --to-revision two           | error: Invalid value for option '--to-revision': 'two' is not a long (see 'kubectl sluice undo --help')
      completion fish                      | error: Invalid value for positional parameter at index 0 (SHELL): expected one of [bash, zsh] (case-insensitive) but was 'fish' (see 'kubectl sluice completion --help')
      """)
  void wrongUsageIsOneLineAndExitCode2(String args, String line) {
    Result result = run(("--kubeconfig " + unreachableKubeconfig + " " + args).split(" "));

    assertThat(result.errLines()).containsExactly(line);
    assertThat(result.out()).isEmpty();
    assertThat(result.exitCode()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(textBlock = """
      get rollout web
      list rollouts
      status web
      status web --watch
      status web --watch=false
      status web --watch false
      status web -w false --context gone
      promote web
      """)
  void anUnreachableServerIsOneLineWithoutTheCredentials(String args) {
    long start = System.nanoTime();
    Result result = run(("--kubeconfig " + unreachableKubeconfig + " " + args).split(" "));

    assertThat(result.errLines()).singleElement().asString()
        .matches("error: cannot connect to the Kubernetes API server at https://127\\.0\\.0\\.1:\\d+: connection refused .*");
    assertThat(result.err() + result.out()).doesNotContain(TOKEN);
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("seconds until the error").isLessThan(15);
  }

  @Test
  void anUnknownContextIsNamedWithTheOnesThatExist() {
    Result result = run("--kubeconfig", unreachableKubeconfig.toString(), "--context", "prod", "list", "rollouts");

    assertThat(result.errLines()).containsExactly("error: context \"prod\" is not in the kubeconfig (contexts: gone)");
    assertThat(result.exitCode()).isEqualTo(1);
  }

  @Test
  void aMissingKubeconfigIsNamed() {
    Result result = run("list", "rollouts", "--kubeconfig", dir.resolve("nope").toString());

    assertThat(result.errLines()).containsExactly("error: kubeconfig " + dir.resolve("nope") + " does not exist or cannot be read");
    assertThat(result.exitCode()).isEqualTo(1);
  }

  @Test
  void lintPassesAGoodFile() {
    Result result = run("lint", "-f", resource("lint/good.yaml"));

    assertThat(result.out()).isEqualTo(resource("lint/good.yaml") + ": no problems in Rollout shop, AnalysisTemplate success-rate\n");
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void lintNamesEachProblemAndFails() {
    Result result = run("lint", "-f", resource("lint/broken.yaml"));

    assertThat(result.out().lines()).contains(
        resource("lint/broken.yaml") + ":25: Rollout shop: spec.strategy.canary.steps[2].setWeight: must be between 0 and 100, got 150",
        "18 problems");
    assertThat(result.exitCode()).isEqualTo(1);
  }

  @Test
  void lintOfAFileThatIsNotThereIsOneLine() {
    Result result = run("lint", "-f", "no-such-file.yaml");

    assertThat(result.errLines()).containsExactly("error: cannot read no-such-file.yaml: no such file");
    assertThat(result.exitCode()).isEqualTo(1);
  }

  @Test
  void convertPrintsSluiceManifestsAndNotes(@TempDir Path out) throws IOException {
    Result toStdout = run("convert", "-f", resource("convert/argo-gateway.yaml"));
    Path file = out.resolve("sluice.yaml");
    Result toFile = run("convert", "-f", resource("convert/argo-gateway.yaml"), "-o", file.toString());

    assertThat(toStdout.exitCode()).isZero();
    assertThat(toStdout.out()).contains("apiVersion: sluice.dev/v1alpha1", "gatewayAPI:").doesNotContain("argoproj.io/v1alpha1");
    assertThat(toStdout.errLines()).allMatch(l -> l.startsWith("note: ")).hasSize(5);
    assertThat(toFile.exitCode()).isZero();
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(toStdout.out());
  }

  @Test
  void convertRefusesWithAReasonPerLineAndPrintsNoManifests() {
    Result result = run("convert", "-f", resource("convert/argo-unsupported.yaml"));

    assertThat(result.out()).isEmpty();
    assertThat(result.errLines()).hasSize(6).allMatch(l -> l.startsWith("error: cannot convert "));
    assertThat(result.exitCode()).isEqualTo(1);
  }

  @Test
  void versionSaysWhenItIsNotRunFromTheJar() {
    Result result = run("version");

    assertThat(result.out()).isEqualTo("kubectl-sluice (development build: not run from kubectl-sluice.jar)\n");
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void bashCompletionCompletesSubcommandsAndOptions() throws Exception {
    Result script = run("completion", "bash");
    Path file = dir.resolve("completion.bash");
    Files.writeString(file, script.out());

    assertThat(complete(file, "kubectl-sluice pro")).isEqualTo("promote");
    assertThat(complete(file, "kubectl-sluice undo web --to")).isEqualTo("--to-revision --token");
    assertThat(complete(file, "kubectl-sluice list rollouts --all")).isEqualTo("--all-namespaces");
  }

  /** the words after "kubectl sluice" (the last one is being completed), and what kubectl is given back */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      pro                         | promote,:4
      undo web --to               | --to-revision,--token,:4
      list ro                     | ro,rollouts,rollout,:4
      -n shop sta                 | status,:4
      'lint -f '                  | :0
      """)
  void kubectlPluginCompletion(String typed, String expected) {
    List<String> words = new java.util.ArrayList<>(List.of(typed.split(" ")));
    if (typed.endsWith(" ")) words.add("");
    words.add(0, ShellCompletion.COMMAND);

    Result result = run(words.toArray(new String[0]));

    assertThat(result.out().lines()).containsExactly(expected.split(","));
    assertThat(result.exitCode()).isZero();
  }

  /** What bash offers after the words typed so far, using the generated script (bash runs locally). */
  private static String complete(Path script, String line) throws Exception {
    String[] words = line.split(" ");
    String program = "source " + script + "\n"
        + "COMP_WORDS=(" + line + "); COMP_CWORD=" + (words.length - 1) + "; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}\n"
        // the function the script registered for kubectl-sluice, as bash would call it on TAB
        + "completer=$(complete -p kubectl-sluice | grep -o -- '-F [^ ]*' | cut -c4-)\n"
        + "$completer\n"
        + "echo \"${COMPREPLY[*]}\"\n";
    // stderr is left out: outside a real completion, bash's compopt complains and that is no part of the answer
    Process bash = new ProcessBuilder("bash", "-c", program).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return output;
  }
}
