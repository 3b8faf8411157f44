package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void secondsMinutesAndHours() {
    assertEquals("0.0s", Durations.human(Duration.ZERO));
    assertEquals("12.3s", Durations.human(Duration.ofMillis(12_345)));
    assertEquals("2m05s", Durations.human(Duration.ofSeconds(125)));
    assertEquals("1h02m", Durations.human(Duration.ofMinutes(62)));
  }
}
