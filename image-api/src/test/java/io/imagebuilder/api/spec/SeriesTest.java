package io.imagebuilder.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SeriesTest {
  @Test
  void infersTheDistributionOfKnownSeries() {
    assertEquals(new Series(Distribution.DEBIAN, "bookworm"), Series.parse("bookworm"));
    assertEquals(new Series(Distribution.DEBIAN, "sid"), Series.parse("sid"));
    assertEquals(new Series(Distribution.UBUNTU, "noble"), Series.parse("noble"));
    assertEquals(new Series(Distribution.UBUNTU, "jammy"), Series.parse("jammy"));
  }

  @Test
  void takesAnExplicitDistribution() {
    assertEquals(new Series(Distribution.UBUNTU, "zesty"), Series.parse("ubuntu/zesty"));
  }

  @Test
  void rejectsUnknownSeriesListingKnownOnes() {
    ImageSpecTest.assertMessage(
        "invalid series 'bookwrom' (expected one of buster", () -> Series.parse("bookwrom"));
    ImageSpecTest.assertMessage("invalid distribution 'fedora'", () -> Series.parse("fedora/40"));
    ImageSpecTest.assertMessage("invalid series 'a/b/c'", () -> Series.parse("a/b/c"));
  }
}
