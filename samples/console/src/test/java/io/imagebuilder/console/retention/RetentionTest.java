package io.imagebuilder.console.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.ConsoleDatabase;
import io.imagebuilder.console.ConsoleSettings;
import io.imagebuilder.console.TestDatabases;
import io.imagebuilder.console.account.AuditLog;
import io.imagebuilder.console.build.ArtifactView;
import io.imagebuilder.console.build.BuildIds;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.build.JdbcBuildStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** Retention's removals, releases and quotas on a real store and real files, at a fixed time. */
class RetentionTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  @TempDir Path dir;
  @AutoClose private final TestDatabases databases = new TestDatabases();
  private final ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();
  private ConsoleSettings settings;
  private BuildStore store;
  private AuditLog audit;
  private Retention retention;

  @BeforeEach
  void console() {
    settings = new ConsoleSettings(dir.resolve("data"), dir.resolve("cache"), 1, null);
    ConsoleDatabase db = databases.sqlite(dir.resolve("console.db"));
    store = new JdbcBuildStore(db, json);
    audit = new AuditLog(db);
    retention =
        new Retention(
            new RetentionRules(new RetentionSettings(null, null, Duration.ofDays(7), null, 0L)),
            store,
            new BuildFiles(settings),
            audit,
            Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private BuildView finished(String owner, BuildStatus status, int daysAgo, int bytes)
      throws Exception {
    Instant at = NOW.minus(Duration.ofDays(daysAgo));
    BuildView b =
        new BuildView(
            BuildIds.next(),
            status,
            "rootfs",
            "bookworm",
            "amd64",
            null,
            List.of(),
            "",
            "0".repeat(64),
            "{}",
            owner,
            "127.0.0.1",
            at,
            at,
            at,
            List.of(),
            List.of(new ArtifactView("image.tar", "tar", bytes, "a".repeat(64), null)),
            null,
            null);
    Path out = settings.buildsDir().resolve(b.id()).resolve("out");
    Files.createDirectories(out);
    Files.write(out.resolve("image.tar"), new byte[bytes]);
    Files.write(out.resolve("../build.log"), new byte[10]);
    store.save(b);
    return b;
  }

  @Test
  void aRunRemovesTheFilesOfOldBuildsKeepsTheirRowsAndAuditsEach() throws Exception {
    BuildView old = finished("alice", BuildStatus.SUCCEEDED, 8, 100);
    BuildView young = finished("alice", BuildStatus.SUCCEEDED, 6, 100);
    assertEquals(
        List.of(old.id()), retention.pending().stream().map(Retention.Pending::id).toList());
    assertEquals(110, retention.pending().get(0).bytes());

    List<Retention.Pending> done = retention.run("retention", "");
    assertEquals(List.of(old.id()), done.stream().map(Retention.Pending::id).toList());
    assertFalse(Files.exists(settings.buildsDir().resolve(old.id())));
    assertTrue(Files.exists(settings.buildsDir().resolve(young.id()).resolve("out/image.tar")));
    assertEquals(NOW, store.find(old.id()).orElseThrow().expiredAt());
    assertEquals(List.of(), retention.run("retention", ""), "a second run removes nothing");
    assertEquals(1, audit.all().stream().filter(e -> e.action().equals("expire")).count());
    assertTrue(audit.all().get(0).target().startsWith(old.id() + ": ended "));
  }

  @Test
  void aReleaseIsKeptAndOnlyASucceededBuildThatStillHasItsFilesIsReleased() throws Exception {
    BuildView old = finished("alice", BuildStatus.SUCCEEDED, 30, 100);
    BuildView failed = finished("alice", BuildStatus.FAILED, 1, 0);
    assertEquals("rita", retention.release(old.id(), "rita").orElseThrow().release().by());
    assertEquals(List.of(), retention.run("retention", ""));
    assertTrue(Files.exists(settings.buildsDir().resolve(old.id()).resolve("out/image.tar")));

    var e = assertThrows(IllegalStateException.class, () -> retention.release(failed.id(), "r"));
    assertEquals(
        "build " + failed.id() + " is FAILED (expected a SUCCEEDED build to release)",
        e.getMessage());
    BuildView gone = finished("bob", BuildStatus.SUCCEEDED, 9, 5);
    retention.run("retention", "");
    e = assertThrows(IllegalStateException.class, () -> retention.release(gone.id(), "r"));
    assertTrue(e.getMessage().contains("its artifacts are gone"), e.getMessage());
  }

  @Test
  void quotasCountTheFilesOfBuildsNotExpired() throws Exception {
    Quotas quotas =
        new Quotas(new QuotaSettings(1000L, Map.of("bob", 50L)), store, new BuildFiles(settings));
    finished("bob", BuildStatus.SUCCEEDED, 1, 30);
    assertEquals(40, quotas.usage("bob"));
    assertTrue(quotas.refusal("bob").isEmpty());
    finished("bob", BuildStatus.SUCCEEDED, 8, 30);
    assertEquals(
        "account 'bob' stores 80 bytes, at or over its quota of 50 bytes (console.quota);"
            + " releases and builds retention has not removed count; nothing was queued",
        quotas.refusal("bob").orElseThrow());
    assertTrue(quotas.refusal("alice").isEmpty(), "alice has the default quota and no builds");
    retention.run("retention", "");
    assertEquals(40, quotas.usage("bob"), "the expired build no longer counts");
  }
}
