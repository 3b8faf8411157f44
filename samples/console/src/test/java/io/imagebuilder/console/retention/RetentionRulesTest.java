package io.imagebuilder.console.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.BuildView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionRulesTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final String SPEC_A = "a".repeat(64);
  private static final String SPEC_B = "b".repeat(64);

  private static BuildView build(
      String id, BuildStatus status, String trigger, String spec, Instant at) {
    return new BuildView(
        id,
        status,
        "rootfs",
        "bookworm",
        "amd64",
        null,
        List.of(),
        trigger,
        spec,
        "{}",
        "alice",
        "127.0.0.1",
        at,
        at,
        status.isFinal() ? at.plusSeconds(60) : null,
        List.of(),
        List.of(),
        null,
        null);
  }

  private static Instant daysAgo(int days) {
    return NOW.minus(Duration.ofDays(days));
  }

  private static List<String> expired(RetentionSettings s, List<BuildView> builds) {
    return new RetentionRules(s).expired(builds, NOW).stream().map(e -> e.build().id()).toList();
  }

  @Test
  void keepsEverythingWithoutRules() {
    List<BuildView> builds =
        List.of(
            build("b1", BuildStatus.SUCCEEDED, "", SPEC_A, daysAgo(400)),
            build("b2", BuildStatus.FAILED, "ci", SPEC_A, daysAgo(300)));
    assertEquals(List.of(), expired(new RetentionSettings(null, null, null, null, 0L), builds));
  }

  @Test
  void keepsTheNewestNOfEachSpecAndRemovesTheOlderOnesOldestFirst() {
    List<BuildView> builds =
        List.of(
            build("b1", BuildStatus.SUCCEEDED, "", SPEC_A, daysAgo(5)),
            build("b2", BuildStatus.SUCCEEDED, "", SPEC_A, daysAgo(4)),
            build("b3", BuildStatus.FAILED, "", SPEC_A, daysAgo(3)),
            build("b4", BuildStatus.SUCCEEDED, "", SPEC_B, daysAgo(6)));
    RetentionSettings s = new RetentionSettings(null, 1, null, null, 0L);
    assertEquals(List.of("b1", "b2"), expired(s, builds));
    List<RetentionRules.Expiry> why = new RetentionRules(s).expired(builds, NOW);
    assertTrue(why.get(0).reason().contains("keep-per-spec"), why.get(0).reason());
  }

  @Test
  void keepsTheNewestNOfEachTriggerAndJudgesBuildsWithoutOneByTheOtherRules() {
    List<BuildView> builds =
        List.of(
            build("b1", BuildStatus.SUCCEEDED, "ci-1", SPEC_A, daysAgo(5)),
            build("b2", BuildStatus.SUCCEEDED, "ci-1", SPEC_B, daysAgo(4)),
            build("b3", BuildStatus.SUCCEEDED, "ci-1", SPEC_A, daysAgo(3)),
            build("b4", BuildStatus.SUCCEEDED, "ci-2", SPEC_A, daysAgo(6)),
            build("b5", BuildStatus.SUCCEEDED, "", SPEC_A, daysAgo(9)),
            build("b6", BuildStatus.SUCCEEDED, "", SPEC_B, daysAgo(8)));
    assertEquals(List.of("b1"), expired(new RetentionSettings(2, null, null, null, 0L), builds));
  }

  @Test
  void removesBuildsThatEndedLongerAgoThanTheMaximumAge() {
    List<BuildView> builds =
        List.of(
            build("old", BuildStatus.SUCCEEDED, "", SPEC_A, daysAgo(31)),
            build("young", BuildStatus.SUCCEEDED, "", SPEC_B, daysAgo(29)));
    assertEquals(
        List.of("old"),
        expired(new RetentionSettings(null, null, Duration.ofDays(30), null, 0L), builds));
  }

  @Test
  void neverRemovesAReleaseAndCountsItAmongTheNewest() {
    BuildView release =
        build("rel", BuildStatus.SUCCEEDED, "", SPEC_A, daysAgo(100))
            .withRelease(new BuildView.Release("rita", daysAgo(99)));
    List<BuildView> builds =
        List.of(
            release,
            build("b1", BuildStatus.SUCCEEDED, "", SPEC_A, daysAgo(50)),
            build("b2", BuildStatus.SUCCEEDED, "", SPEC_A, daysAgo(1)));
    assertEquals(
        List.of("b1"),
        expired(new RetentionSettings(null, 1, Duration.ofDays(30), null, 0L), builds));
  }

  @Test
  void leavesQueuedRunningAndAlreadyExpiredBuildsAlone() {
    List<BuildView> builds =
        List.of(
            build("q", BuildStatus.QUEUED, "", SPEC_A, daysAgo(90)),
            build("r", BuildStatus.RUNNING, "", SPEC_A, daysAgo(80)),
            build("x", BuildStatus.SUCCEEDED, "", SPEC_A, daysAgo(70)).withExpired(daysAgo(1)));
    assertEquals(
        List.of(),
        expired(new RetentionSettings(null, null, Duration.ofDays(1), null, 0L), builds));
  }

  @Test
  void refusesBadSettingsNamingTheProperty() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new RetentionSettings(-1, null, null, null, 0L));
    assertEquals(
        "invalid console.retention.keep-per-trigger '-1' (expected 0 for no limit, or more)",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RetentionSettings(null, null, Duration.ZERO, null, 0L));
    assertEquals(
        "invalid console.retention.max-age 'PT0S' (expected a positive duration)", e.getMessage());
  }
}
