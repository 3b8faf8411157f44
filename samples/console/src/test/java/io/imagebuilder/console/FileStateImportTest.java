package io.imagebuilder.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.account.Account;
import io.imagebuilder.console.account.ApiToken;
import io.imagebuilder.console.account.AuditEntry;
import io.imagebuilder.console.account.AuditLog;
import io.imagebuilder.console.account.JdbcAccountStore;
import io.imagebuilder.console.account.Role;
import io.imagebuilder.console.build.BuildIds;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.build.JdbcBuildStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** The files of a console of the file-store days come into its database once, nothing lost. */
class FileStateImportTest {
  @TempDir Path dir;
  @AutoClose private final TestDatabases databases = new TestDatabases();
  private final ObjectMapper json = Jackson2ObjectMapperBuilder.json().build();

  private ConsoleSettings settings() {
    return new ConsoleSettings(dir.resolve("data"), dir.resolve("cache"), 1, null);
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
        "alice",
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
  void accountsAuditAndBuildsAreImportedOnceAndTheFilesKeptRenamed() throws Exception {
    ConsoleSettings settings = settings();
    Path data = Files.createDirectories(settings.dataDir());
    // what the older console wrote: JSON of the same records
    ApiToken token = new ApiToken("t1", "e".repeat(64), Instant.parse("2026-01-01T00:00:00Z"));
    Account admin = new Account("admin", Set.of(Role.ADMIN), null, List.of(token));
    Account erin = new Account("erin", Set.of(Role.BUILD), "$2a$04$hash", List.of());
    json.writeValue(data.resolve("accounts.json").toFile(), List.of(admin, erin));
    AuditEntry first =
        new AuditEntry(
            Instant.parse("2026-01-01T00:00:00Z"),
            "console",
            "account-created",
            "admin [ADMIN]",
            "");
    AuditEntry second =
        new AuditEntry(Instant.parse("2026-01-02T00:00:00Z"), "admin", "login", "", "::1");
    Files.writeString(
        data.resolve("audit.jsonl"),
        json.writeValueAsString(first) + "\n" + json.writeValueAsString(second) + "\n");
    BuildView done =
        build(BuildIds.next(), BuildStatus.SUCCEEDED, Instant.parse("2026-01-03T00:00:00Z"));
    BuildView running =
        build(BuildIds.next(), BuildStatus.RUNNING, Instant.parse("2026-01-04T00:00:00Z"));
    for (BuildView b : List.of(done, running)) {
      Path d = Files.createDirectories(settings.buildsDir().resolve(b.id()));
      json.writeValue(d.resolve("build.json").toFile(), b);
    }
    Files.createDirectories(settings.buildsDir().resolve("not-a-build"));
    Files.writeString(settings.buildsDir().resolve("not-a-build/build.json"), "garbage");

    ConsoleDatabase db = databases.sqlite(data.resolve("console.db"));
    FileStateImport.run(settings, db, json);

    assertEquals(List.of(admin, erin), new JdbcAccountStore(db).all());
    assertEquals(
        "admin", new JdbcAccountStore(db).findByTokenHash("e".repeat(64)).orElseThrow().name());
    assertEquals(List.of(first, second), new AuditLog(db).all());
    JdbcBuildStore builds = new JdbcBuildStore(db, json);
    builds.failInterrupted(); // as the embedded console's BuildService does when it starts
    assertEquals(
        List.of(running.id(), done.id()), builds.all().stream().map(BuildView::id).toList());
    assertEquals(done, builds.find(done.id()).orElseThrow());
    assertEquals(
        BuildStatus.FAILED, builds.find(running.id()).orElseThrow().status(), "its thread is gone");
    assertTrue(Files.exists(data.resolve("accounts.json.imported")));
    assertTrue(Files.exists(data.resolve("audit.jsonl.imported")));
    assertTrue(
        Files.exists(settings.buildsDir().resolve(done.id()).resolve("build.json.imported")));
    assertFalse(Files.exists(data.resolve("accounts.json")));
    assertTrue(Files.exists(settings.buildsDir().resolve("not-a-build/build.json")), "left alone");

    // started again: nothing is imported twice
    FileStateImport.run(settings, databases.sqlite(data.resolve("console.db")), json);
    assertEquals(2, new AuditLog(db).all().size());
    assertEquals(2, new JdbcAccountStore(db).all().size());
    assertEquals(2, builds.all().size());
  }

  @Test
  void accountsAreNotImportedIntoADatabaseThatHasSome() throws Exception {
    ConsoleSettings settings = settings();
    Path data = Files.createDirectories(settings.dataDir());
    ConsoleDatabase db = databases.sqlite(data.resolve("console.db"));
    Account there = new Account("there", Set.of(Role.VIEW), null, List.of());
    new JdbcAccountStore(db).save(there);
    json.writeValue(
        data.resolve("accounts.json").toFile(),
        List.of(new Account("old", Set.of(Role.ADMIN), null, List.of())));

    FileStateImport.run(settings, db, json);

    assertEquals(List.of(there), new JdbcAccountStore(db).all());
    assertTrue(Files.exists(data.resolve("accounts.json")), "left as it was");
  }
}
