package io.imagebuilder.console.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** Builds in the console's database (SQLite here, as on one machine), across restarts. */
class JdbcBuildStoreTest {
  @TempDir Path dir;
  @AutoClose private final TestDatabases databases = new TestDatabases();
  private final ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();

  /** The store of a console (re)started on the same database. */
  private JdbcBuildStore start() {
    return new JdbcBuildStore(databases.sqlite(dir.resolve("console.db")), json);
  }

  private static BuildView build(String id, BuildStatus status, Instant at) {
    return new BuildView(
        id,
        status,
        "rootfs",
        "bookworm",
        "amd64",
        null,
        List.of("hello"),
        "t",
        "0".repeat(64),
        "{}",
        "test",
        "127.0.0.1",
        at,
        null,
        null,
        List.of(
            new StageView(
                0, "rootfs.bootstrap", "b".repeat(64), "bootstrap", "SUCCEEDED", 1200L, null)),
        List.of(new ArtifactView("rootfs.tar.zst", "tar.zst", 5, "a".repeat(64), null)),
        null,
        null);
  }

  @Test
  void keepsBuildsAcrossRestartsTheNewestFirst() {
    JdbcBuildStore store = start();
    BuildView old =
        build(BuildIds.next(), BuildStatus.SUCCEEDED, Instant.parse("2026-01-01T00:00:00Z"));
    BuildView young =
        build(BuildIds.next(), BuildStatus.FAILED, Instant.parse("2026-02-01T00:00:00.5Z"));
    BuildView sameSecond =
        build(BuildIds.next(), BuildStatus.QUEUED, Instant.parse("2026-02-01T00:00:00Z"));
    store.save(old);
    store.save(young);
    store.save(sameSecond);

    JdbcBuildStore again = start();
    assertEquals(List.of(young, sameSecond, old), again.all());
    assertEquals(old, again.find(old.id()).orElseThrow());
    assertTrue(again.find("../etc").isEmpty());
    assertTrue(again.find(BuildIds.next()).isEmpty());
  }

  @Test
  void savingAgainChangesTheBuild() {
    JdbcBuildStore store = start();
    BuildView queued = build(BuildIds.next(), BuildStatus.QUEUED, Instant.now());
    store.save(queued);
    BuildView done =
        queued.with(
            BuildStatus.SUCCEEDED,
            Instant.now(),
            Instant.now(),
            queued.stages(),
            queued.artifacts(),
            null,
            null);
    store.save(done);

    assertEquals(List.of(done), start().all());
  }

  @Test
  void buildsThatWereRunningWhenTheConsoleStoppedAreMarkedFailedQueuedOnesStay() {
    JdbcBuildStore store = start();
    BuildView running = build(BuildIds.next(), BuildStatus.RUNNING, Instant.now());
    store.save(running);
    BuildView queued = build(BuildIds.next(), BuildStatus.QUEUED, Instant.now());
    store.save(queued);

    JdbcBuildStore again = start();
    again.failInterrupted(); // as the console does when it runs builds in its own JVM
    BuildView after = again.find(running.id()).orElseThrow();
    assertEquals(BuildStatus.FAILED, after.status());
    assertEquals(BuildStatus.QUEUED, again.find(queued.id()).orElseThrow().status());
    assertTrue(
        after.error().contains("console stopped while this build was running"), after.error());
  }
}
