package io.imagebuilder.console.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.console.ConsoleDatabase;
import io.imagebuilder.console.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** The first start's admin token: in an owner-only file, stored as its hash, never in a log. */
class AccountServiceTest {
  @TempDir Path dir;
  @AutoClose private final TestDatabases databases = new TestDatabases();

  private Path database() {
    return dir.resolve("console.db");
  }

  /** The service of a console started on {@code dir}'s database. */
  private AccountService service() {
    ConsoleDatabase db = databases.sqlite(database());
    return new AccountService(
        new JdbcAccountStore(db), new AuditLog(db), new BCryptPasswordEncoder(4));
  }

  private String bootstrapOutput(AccountService s) {
    PrintStream before = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      s.bootstrap(dir.resolve("first-admin-token"));
    } finally {
      System.setOut(before);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theFirstStartLeavesTheAdminTokenInAnOwnerOnlyFileAndKeepsOnlyItsHash() throws Exception {
    String printed = bootstrapOutput(service());
    Path tokenFile = dir.resolve("first-admin-token");
    assertTrue(printed.contains(tokenFile.toString()), printed);
    String token = Files.readString(tokenFile).strip();
    assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
    assertFalse(printed.contains(token), "the token is in no output: " + printed);
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));

    String stored = TestDatabases.bytesOnDisk(database());
    assertFalse(stored.contains(token), "the token is nowhere in the database");
    assertTrue(stored.contains(Tokens.hash(token)), "its hash is");
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(database())));

    // The console starts again on the same data directory: the token works, nothing is printed.
    AccountService again = service();
    assertEquals("", bootstrapOutput(again));
    assertEquals("admin", again.byToken(token).orElseThrow().name());
    assertTrue(again.byToken(token).orElseThrow().has(Role.VIEW), "admin includes view");
    assertEquals("admin", again.byPassword("admin", token).orElseThrow().name());
    assertTrue(again.byPassword("admin", "wrong").isEmpty());
    assertTrue(again.byToken(Tokens.newToken()).isEmpty());
    assertEquals(1, again.all().size());
  }

  @Test
  void aPasswordIsStoredAsBCryptAndAShortOneIsRefused() throws Exception {
    AccountService s = service();
    s.create("erin", java.util.Set.of(Role.BUILD), "erin's long password", "admin", "::1");
    String stored = TestDatabases.bytesOnDisk(database());
    assertFalse(stored.contains("erin's long password"), "the password is nowhere on disk");
    assertTrue(stored.contains("$2a$04$"), "a BCrypt hash is");
    assertTrue(s.byPassword("erin", "erin's long password").isPresent());
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> s.create("fay", java.util.Set.of(Role.VIEW), "short", "admin", "::1"));
    assertTrue(e.getMessage().contains("at least 12"), e.getMessage());
    // what a console started again on the database reads
    List<AuditEntry> audit = new AuditLog(databases.sqlite(database())).all();
    assertEquals(List.of("account-created"), audit.stream().map(AuditEntry::action).toList());
    assertEquals("admin", audit.get(0).account());
    assertEquals("::1", audit.get(0).remoteAddress());
    assertEquals("erin [BUILD]", audit.get(0).target());
  }
}
