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
}
