package io.imagebuilder.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleDatabaseTest {
  @TempDir Path dir;
  @AutoClose private final TestDatabases databases = new TestDatabases();

  @Test
  void aLogLineShowsNoUrlParametersWhereAPasswordMayBe() {
    assertEquals(
        "jdbc:postgresql://db:5432/imagebuilder",
        ConsoleDatabase.withoutParameters(
            "jdbc:postgresql://db:5432/imagebuilder?user=ib&password=s3cret"));
    assertEquals(
        "jdbc:sqlserver://db:1433",
        ConsoleDatabase.withoutParameters("jdbc:sqlserver://db:1433;password=s3cret?x"));
    assertEquals(
        "jdbc:sqlite:/x/console.db",
        ConsoleDatabase.withoutParameters("jdbc:sqlite:/x/console.db"));
  }

  @Test
  void aRestartMigratesNothingTwiceAndKeepsTheRows() {
    ConsoleDatabase first = databases.sqlite(dir.resolve("console.db"));
    assertTrue(first.sqlite());
    first
        .jdbc()
        .sql("INSERT INTO console_accounts (name, roles, password_hash) VALUES ('a', 'VIEW', NULL)")
        .update();

    ConsoleDatabase again = databases.sqlite(dir.resolve("console.db"));

    assertEquals(
        List.of("a"),
        again.jdbc().sql("SELECT name FROM console_accounts").query(String.class).list());
    assertEquals(
        List.of("1", "2", "3"),
        again
            .jdbc()
            .sql("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")
            .query(String.class)
            .list(),
        "each version applied once");
  }

  @Test
  void aTransactionThatFailsWritesNothing() {
    ConsoleDatabase db = databases.sqlite(dir.resolve("console.db"));
    try {
      db.inTransaction(
          () -> {
            db.jdbc()
                .sql("INSERT INTO console_accounts (name, roles) VALUES ('b', 'VIEW')")
                .update();
            throw new IllegalStateException("midway");
          });
    } catch (IllegalStateException expected) {
      // the rollback is what is checked
    }
    assertEquals(
        0, db.jdbc().sql("SELECT count(*) FROM console_accounts").query(Integer.class).single());
  }

  @Test
  void timesOrderToTheMicrosecond() {
    assertEquals(1_000_001L, ConsoleDatabase.micros(Instant.parse("1970-01-01T00:00:01.000001Z")));
  }
}
