package dev.sluice.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

  /** /proc/PID/task/TID/stat of seven threads of a running Maven JVM, read twice two seconds apart. */
  private static Map<Long, ThreadCpu.Ticks> captured(String name) throws IOException {
    try (InputStream in = ThreadCpuTest.class.getResourceAsStream("/proc/" + name)) {
      Map<Long, ThreadCpu.Ticks> m = new LinkedHashMap<>();
      new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(ThreadCpu::parse).forEach(t -> m.put(t.tid(), t));
      return m;
    }
  }

  @Test
  void readsNameAndUserPlusSystemTicksEvenWhenTheNameHoldsSpacesAndParentheses() throws IOException {
    assertThat(captured("before.txt").get(15151L)).isEqualTo(new ThreadCpu.Ticks(15151, "C2 CompilerThre", 1145 + 18));
    assertThat(captured("before.txt").get(15155L).name()).isEqualTo("VM Periodic Tas");
    assertThat(ThreadCpu.parse("42 (a) (b c) S 1 2 3 0 -1 4194368 6 0 0 0 7 5 0 0 20 0 22 0 6257270 9194123264"))
        .isEqualTo(new ThreadCpu.Ticks(42, "a) (b c", 12));
    assertThatThrownBy(() -> ThreadCpu.parse("garbage")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("garbage");
  }

  @Test
  void breakdownRanksThreadsByTicksUsedFoldsNumberedNamesAndLeavesTheRestToEndedThreads() throws IOException {
    Map<Long, ThreadCpu.Ticks> before = captured("before.txt");
    Map<Long, ThreadCpu.Ticks> after = captured("after.txt");
    // a GC thread started between the snapshots (counts from zero) and a pool thread that ended
    after.put(15157L, new ThreadCpu.Ticks(15157, "GC Thread#1", 4));
    before.put(15300L, new ThreadCpu.Ticks(15300, "pool-1-thread-3", 90));
    // the process's own figure: the threads above (1.27 + 0.80 + 0.22 + 0.04) and 0.06 s of the ended one
    ThreadCpu.Breakdown b = ThreadCpu.between(before, after, 2.39, 3);

    assertThat(b.topThreads()).containsExactly(new ThreadCpu.Use("C2 CompilerThre", 15151, 1.27),
        new ThreadCpu.Use("java", 15139, 0.80), new ThreadCpu.Use("C1 CompilerThre", 15152, 0.22));
    assertThat(b.byName()).extracting(ThreadCpu.Use::name).containsExactly("C* CompilerThre", "java", "GC Thread#*");
    assertThat(b.byName().get(0).cpuSeconds()).isEqualTo(1.49);
    assertThat(b.endedThreadsCpuSeconds()).isEqualTo(0.06);
    assertThat(b.processCpuSeconds()).isEqualTo(2.39);
  }

  @Test
  void threadsThatUsedNothingAreLeftOut() throws IOException {
    Map<Long, ThreadCpu.Ticks> before = captured("before.txt");
    ThreadCpu.Breakdown b = ThreadCpu.between(before, before, 0, 10);
    assertThat(b.topThreads()).isEmpty();
    assertThat(b.byName()).isEqualTo(List.of());
    assertThat(b.endedThreadsCpuSeconds()).isZero();
  }
}
