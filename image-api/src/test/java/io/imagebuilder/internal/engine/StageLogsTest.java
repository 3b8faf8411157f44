package io.imagebuilder.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StageLogsTest {
  @Test
  void namesALogByThePositionInThePlanAndTheStageType() {
    assertEquals("logs/03-rootfs.packages.log", StageLogs.relativePath(3, 9, "rootfs.packages"));
    assertEquals("logs/12-manifest.record.log", StageLogs.relativePath(12, 12, "manifest.record"));
  }

  @Test
  void longPlansGetWiderNumbersSoTheFilesStillSortInPlanOrder() {
    assertEquals("logs/007-x.log", StageLogs.relativePath(7, 120, "x"));
  }

  @Test
  void aStageTypeCannotLeaveTheLogDirectory() {
    assertEquals("logs/01-.._evil_type.log", StageLogs.relativePath(1, 2, "../evil type"));
  }

  @Test
  void aUrlPasswordNeverReachesTheLogFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path out)
      throws Exception {
    StageLogs logs = new StageLogs(out, System.nanoTime(), java.time.Instant.EPOCH, m -> {});
    logs.started(
        1,
        1,
        "rootfs.bootstrap",
        "id",
        "minbase bookworm from https://ci:s3cret@mirror.example/debian");
    logs.record(
        new io.imagebuilder.api.event.LogLine(
            "",
            "rootfs.bootstrap",
            io.imagebuilder.api.event.LogLine.Level.INFO,
            "fetching https://ci:s3cret@mirror.example/debian/dists/bookworm/InRelease"));
    logs.failed(
        java.time.Duration.ZERO,
        "FAILED",
        new io.imagebuilder.api.error.ImageBuildException(
            "cannot fetch https://ci:s3cret@mirror.example/x"));
    String text = java.nio.file.Files.readString(out.resolve("logs/01-rootfs.bootstrap.log"));
    org.junit.jupiter.api.Assertions.assertFalse(text.contains("s3cret"), text);
    org.junit.jupiter.api.Assertions.assertTrue(
        text.contains("https://ci:***@mirror.example/debian/dists/bookworm/InRelease"), text);
    org.junit.jupiter.api.Assertions.assertTrue(
        text.contains("# minbase bookworm from https://ci:***@mirror.example/debian"), text);
  }
}
