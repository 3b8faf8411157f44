package io.imagebuilder.console.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

class FileBuildStoreTest {
  @TempDir Path dir;
  private final ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();

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
        List.of(),
        List.of(),
        null,
        null);
  }

  @Test
  void keepsBuildsAcrossRestartsTheNewestFirst() {
    FileBuildStore store = new FileBuildStore(dir, json);
    BuildView old =
        build(BuildIds.next(), BuildStatus.SUCCEEDED, Instant.parse("2026-01-01T00:00:00Z"));
    BuildView young =
        build(BuildIds.next(), BuildStatus.FAILED, Instant.parse("2026-02-01T00:00:00Z"));
    store.save(old);
    store.save(young);

    FileBuildStore again = new FileBuildStore(dir, json);
    assertEquals(List.of(young, old), again.all());
    assertEquals(old, again.find(old.id()).orElseThrow());
    assertTrue(again.find("../etc").isEmpty());
  }

  @Test
  void buildsThatWereRunningWhenTheConsoleStoppedAreMarkedFailedQueuedOnesStay() {
    FileBuildStore store = new FileBuildStore(dir, json);
    BuildView running = build(BuildIds.next(), BuildStatus.RUNNING, Instant.now());
    store.save(running);

    BuildView queued = build(BuildIds.next(), BuildStatus.QUEUED, Instant.now());
    store.save(queued);

    FileBuildStore again = new FileBuildStore(dir, json);
    BuildView after = again.find(running.id()).orElseThrow();
    assertEquals(BuildStatus.FAILED, after.status());
    assertEquals(BuildStatus.QUEUED, again.find(queued.id()).orElseThrow().status());
    assertTrue(
        after.error().contains("console stopped while this build was running"), after.error());
  }

  @Test
  void directoriesThatAreNotBuildsAreLeftAlone() throws Exception {
    Files.createDirectories(dir.resolve("not-a-build"));
    Files.writeString(dir.resolve("not-a-build/build.json"), "garbage");
    assertEquals(List.of(), new FileBuildStore(dir, json).all());
  }
}
