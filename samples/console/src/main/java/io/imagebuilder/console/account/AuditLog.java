package io.imagebuilder.console.account;

import io.imagebuilder.console.ConsoleDatabase;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Who did what and when: rows of {@code console_audit}, appended and never changed. */
public final class AuditLog {
  private final ConsoleDatabase db;
  private long lastMicros;

  public AuditLog(ConsoleDatabase db) {
    this.db = db;
  }

  /** Appends an entry, now. */
  public void record(String account, String action, String target, String remoteAddress) {
    append(new AuditEntry(Instant.now(), account, action, target, remoteAddress));
  }

  /** Appends an entry as it is (one of an older console's log, say), after every one so far. */
  public void append(AuditEntry e) {
    Instant at = e.time();
    if (at == null || e.action() == null) {
      throw new IllegalArgumentException(
          "invalid audit entry " + e + " (expected a time and an action)");
    }
    long order;
    synchronized (this) {
      // strictly increasing, so two entries of one instant keep the order they happened in
      order = Math.max(ConsoleDatabase.micros(at), lastMicros + 1);
      lastMicros = order;
    }
    db.jdbc()
        .sql(
            "INSERT INTO console_audit (id, at_micros, at, account, action, target, remote_address)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")
        .params(
            UUID.randomUUID().toString(),
            order,
            at.toString(),
            String.valueOf(e.account()),
            e.action(),
            e.target() == null ? "" : e.target(),
            e.remoteAddress() == null ? "" : e.remoteAddress())
        .update();
  }

  /** Every entry, the oldest first. */
  public List<AuditEntry> all() {
    return db.jdbc()
        .sql(
            "SELECT at, account, action, target, remote_address FROM console_audit"
                + " ORDER BY at_micros, id")
        .query(
            (rs, n) ->
                new AuditEntry(
                    Instant.parse(rs.getString(1)),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5)))
        .list();
  }
}
