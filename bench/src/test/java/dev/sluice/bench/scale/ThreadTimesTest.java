package dev.sluice.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.sluice.bench.scale.ProcessStats.ThreadTime;
import dev.sluice.bench.scale.ProcessStats.ThreadTimes;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadTimesTest {

  @Test
  void aPhaseCountsEachThreadsTicksSinceItsStartByNameWithPoolsFoldedLargestFirst() {
    ThreadTimes before = new ThreadTimes(Map.of(
        1L, new ThreadTime("VM Thread", 40),
        2L, new ThreadTime("C1 CompilerThre", 100),
        3L, new ThreadTime("pool-4-thread-1", 10),
        4L, new ThreadTime("pool-4-thread-2", 5)));
    ThreadTimes after = new ThreadTimes(Map.of(
        1L, new ThreadTime("VM Thread", 90),
        2L, new ThreadTime("C1 CompilerThre", 100),
        3L, new ThreadTime("pool-4-thread-1", 30),
        4L, new ThreadTime("pool-4-thread-2", 25),
        5L, new ThreadTime("pool-4-thread-3", 30)));

    Map<String, Double> seconds = after.secondsSince(before);

    // a thread born in the phase counts whole; one that did nothing is left out
    assertThat(seconds).containsExactly(entry("pool-#-thread-#", 0.7), entry("VM Thread", 0.5));
  }

  @Test
  void aThreadIdTheKernelGaveToANewThreadCountsFromZeroAndAnEndedThreadIsMissing() {
    ThreadTimes before = new ThreadTimes(Map.of(
        7L, new ThreadTime("idle-timeout-ta", 300),
        8L, new ThreadTime("Timer-0", 9)));
    ThreadTimes after = new ThreadTimes(Map.of(7L, new ThreadTime("HttpClient-1-Se", 12)));

    assertThat(after.secondsSince(before)).containsExactly(entry("HttpClient-#-Se", 0.12));
  }

  @Test
  void fromTheStartEveryTickCounts() {
    ThreadTimes ready = new ThreadTimes(Map.of(1L, new ThreadTime("java", 72), 2L, new ThreadTime("C1 CompilerThre", 58)));

    assertThat(ready.secondsSince(ThreadTimes.NONE)).containsExactly(entry("java", 0.72), entry("C1 CompilerThre", 0.58));
  }
}
