package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StepTimerTest {
  @Test
  void summaryListsEachStepWithItsOwnDuration() {
    AtomicLong now = new AtomicLong(5_000_000_000L);
    StepTimer timer = new StepTimer(now::get);
    now.addAndGet(1_250_000_000L);
    timer.lap("index");
    now.addAndGet(100_000_000L);
    timer.lap("resolve");
    assertEquals("index 1.3 s, resolve 0.1 s", timer.summary());
  }
}
