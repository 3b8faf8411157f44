package io.imagebuilder.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcLogTest {
  @TempDir Path dir;

  @Test
  void theRunsPeakIsTheLargestOfItsJvmsLogsAndClearRemovesOnlyThem() throws Exception {
    GcLog.Logs logs = new GcLog.Logs(dir, "gc-rootless");
    assertTrue(logs.option().endsWith(dir.resolve("gc-rootless-%p.log").toString()));
    // the outer JVM, which only relaunches, and the inner one, which builds
    Files.writeString(
        dir.resolve("gc-rootless-100.log"), "[0.5s][info][gc] Pause Young 10M->2M(64M) 1.0ms\n");
    Files.writeString(
        dir.resolve("gc-rootless-101.log"),
        "[9.1s][info][gc] Pause Young 180M->40M(256M) 3.0ms\n"
            + "[9.9s][info][gc,heap,exit] def new generation total 5120K, used 1234K\n");
    Files.writeString(dir.resolve("gc-other-102.log"), "Pause Young 900M->1M(1024M)\n");
    assertEquals(OptionalLong.of(180 * 1024), logs.peakKiB());
    logs.clear();
    assertEquals(OptionalLong.empty(), logs.peakKiB());
    assertTrue(Files.exists(dir.resolve("gc-other-102.log")), "another run's log stays");
  }
}
