package dev.sluice.bench.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where the controller's memory and threads go at the end of a run, from the JDK's own jcmd: the threads by
 * name (numbers folded, so a pool shows as one line with its count), the native memory summary when the
 * controller runs with -XX:NativeMemoryTracking, and the top of the heap histogram.
 */
record Diagnostics(String text) {
  private static final int HISTOGRAM_LINES = 40;
  private static final Pattern THREAD = Pattern.compile("^\"([^\"]*)\"", Pattern.MULTILINE);

  static Diagnostics of(long pid, List<String> jvmOptions) throws IOException, InterruptedException {
    StringBuilder b = new StringBuilder();
    b.append("== threads by name (digits folded to #)\n").append(threadsByName(jcmd(pid, "Thread.print")));
    if (jvmOptions.stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking="))) {
      b.append("\n== jcmd VM.native_memory summary\n").append(jcmd(pid, "VM.native_memory", "summary"));
    }
    b.append("\n== resident memory by mapping (/proc/PID/smaps, the largest)\n").append(residentByMapping(pid));
    b.append("\n== jcmd GC.heap_info\n").append(jcmd(pid, "GC.heap_info"));
    String histogram = jcmd(pid, "GC.class_histogram");
    b.append("\n== jcmd GC.class_histogram (top ").append(HISTOGRAM_LINES).append(" and total)\n");
    List<String> lines = histogram.lines().toList();
    lines.stream().limit(HISTOGRAM_LINES + 3).forEach(l -> b.append(l).append('\n'));
    if (!lines.isEmpty()) {
      b.append(lines.get(lines.size() - 1)).append('\n');
    }
    return new Diagnostics(b.toString());
  }

  /**
   * RSS by mapping, largest first: file mappings by file (libjvm.so, the CDS archive), anonymous
   * ones by size (the heap, metaspace, the code cache, thread stacks and malloc's arenas each have
   * their own), so what NMT does not count shows.
   */
  static String residentByMapping(long pid) throws IOException {
    record Mapping(String name, long sizeKb, long rssKb) {}
    List<Mapping> mappings = new java.util.ArrayList<>();
    String name = null;
    long size = 0;
    for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 5 && f[0].matches("[0-9a-f]+-[0-9a-f]+")) {
        String[] range = f[0].split("-");
        size = (Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16)) / 1024;
        name = f.length >= 6 ? f[5] : "[anon]";
      } else if (f[0].equals("Rss:") && name != null) {
        mappings.add(new Mapping(name, size, Long.parseLong(f[1])));
      }
    }
    long total = mappings.stream().mapToLong(Mapping::rssKb).sum();
    Map<String, Long> files = new TreeMap<>();
    mappings.stream().filter(m -> m.name().startsWith("/")).forEach(m -> files.merge(m.name(), m.rssKb(), Long::sum));
    StringBuilder b = new StringBuilder(String.format("%8d kB  total RSS%n", total));
    files.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
        .forEach(e -> b.append(String.format("%8d kB  %s%n", e.getValue(), e.getKey())));
    mappings.stream().filter(m -> !m.name().startsWith("/")).sorted(java.util.Comparator.comparingLong(Mapping::rssKb).reversed())
        .limit(16).forEach(m -> b.append(String.format("%8d kB  %s of %d kB%n", m.rssKb(), m.name(), m.sizeKb())));
    return b.toString();
  }

  static String threadsByName(String threadDump) {
    Map<String, Integer> counts = new TreeMap<>();
    Matcher m = THREAD.matcher(threadDump);
    while (m.find()) {
      counts.merge(m.group(1).replaceAll("\\d+", "#"), 1, Integer::sum);
    }
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    return counts.entrySet().stream().map(e -> String.format("%4d  %s%n", e.getValue(), e.getKey()))
        .collect(Collectors.joining()) + String.format("%4d  total%n", total);
  }

  private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("jcmd " + String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
