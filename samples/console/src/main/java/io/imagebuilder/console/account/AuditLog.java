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
    Instant now = Instant.now();
    long order;
    synchronized (this) {
      // strictly increasing, so two entries of one instant keep the order they happened in
      order = Math.max(ConsoleDatabase.micros(now), lastMicros + 1);
      lastMicros = order;
    }
    db.jdbc()
        .sql(
            "INSERT INTO console_audit (id, at_micros, at, account, action, target, remote_address)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")
        .params(
            UUID.randomUUID().toString(),
            order,
            now.toString(),
            String.valueOf(account),
            action,
            target == null ? "" : target,
            remoteAddress == null ? "" : remoteAddress)
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
