package dev.sluice.e2e.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * deploy/argocd/health.lua run by a real Lua 5.1 interpreter (Argo CD evaluates health scripts with
 * Lua 5.1 semantics) the way Argo CD runs it: the object as the global {@code obj}, the script's
 * returned table read for status and message.
 */
final class ArgoCdHealthCheck {
  static final String LUA = "lua5.1";

  /** @param message null when the script returned none */
  record Health(String status, String message) {}

  private final Path repoRoot;
  private final Path lua;

  ArgoCdHealthCheck(Path repoRoot) {
    this.repoRoot = repoRoot;
    this.lua = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .map(dir -> Path.of(dir, LUA)).filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new IllegalStateException(LUA + " is not on PATH: the Argo CD health check is tested with a real "
            + "Lua 5.1; install Debian's lua5.1 (apt-get install -y lua5.1; dev/test does it when missing)"));
  }

  Health check(JsonNode rollout) {
    Path script = repoRoot.resolve("deploy/argocd/health.lua");
    String runner = "obj = " + luaValue(rollout) + "\n"
        + "local hs = assert(loadfile(" + luaString(script.toString()) + "))()\n"
        + "io.write(tostring(hs.status), '\\n')\n"
        + "if hs.message ~= nil then io.write('message:', tostring(hs.message)) end\n";
    try {
      Path file = Files.createTempFile("argocd-health-", ".lua");
      try {
        Files.writeString(file, runner);
        String out = Processes.run(repoRoot, Duration.ofSeconds(30), "", List.of(lua.toString(), file.toString()));
        int newline = out.indexOf('\n');
        String rest = out.substring(newline + 1);
        return new Health(out.substring(0, newline), rest.startsWith("message:") ? rest.substring("message:".length()) : null);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JSON as a Lua table constructor, as Argo CD hands an object to the script (null fields absent). */
  static String luaValue(JsonNode n) {
    if (n.isObject()) {
      return StreamSupport.stream(((Iterable<java.util.Map.Entry<String, JsonNode>>) n::fields).spliterator(), false)
          .filter(e -> !e.getValue().isNull())
          .map(e -> "[" + luaString(e.getKey()) + "]=" + luaValue(e.getValue()))
          .collect(Collectors.joining(",", "{", "}"));
    }
    if (n.isArray()) {
      return StreamSupport.stream(n.spliterator(), false).map(ArgoCdHealthCheck::luaValue).collect(Collectors.joining(",", "{", "}"));
    }
    if (n.isTextual()) {
      return luaString(n.textValue());
    }
    if (n.isNumber() || n.isBoolean()) {
      return n.asText();
    }
    return "nil";
  }

  static String luaString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20) {
            b.append('\\').append(String.format("%03d", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
