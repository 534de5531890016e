package dev.sluice.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistogramsTest {
  private static String page(double le025, double le1, double inf) {
    return """
        # TYPE m_seconds histogram
        m_seconds_bucket{le="0.25"} %s
        m_seconds_bucket{le="1.0"} %s
        m_seconds_bucket{le="+Inf"} %s
        m_seconds_count %s
        """.formatted(le025, le1, inf, inf);
  }

  @Test
  void theBoundOfTheBucketHoldingTheQuantileOfWhatWasCountedBetweenTheTwoScrapes() {
    String before = page(10, 10, 10);
    // between the scrapes: 98 within 0.25 s, 1 more within 1 s, 1 beyond
    String after = page(108, 109, 110);
    assertThat(Histograms.quantileBound(before, after, "m_seconds", 0.5)).isEqualTo(0.25);
    assertThat(Histograms.quantileBound(before, after, "m_seconds", 0.99)).isEqualTo(1.0);
    assertThat(Histograms.quantileBound(before, after, "m_seconds", 1.0)).isInfinite();
    assertThat(Histograms.quantileBound(before, before, "m_seconds", 0.99)).isNaN();
  }
}
