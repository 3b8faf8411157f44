package io.imagebuilder.console.account;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Who did what and when: one JSON object a line, appended to {@code audit.jsonl} and never
 * rewritten.
 */
public final class AuditLog {
  private final Path file;
  private final ObjectMapper json;

  public AuditLog(Path file, ObjectMapper json) {
    this.file = file;
    this.json = json;
  }

  /** Appends an entry, now. */
  public synchronized void record(
      String account, String action, String target, String remoteAddress) {
    AuditEntry e =
        new AuditEntry(
            Instant.now(),
            account,
            action,
            target == null ? "" : target,
            remoteAddress == null ? "" : remoteAddress);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          json.writeValueAsString(e) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot append to the audit log " + file, ex);
    }
  }

  /** Every entry, the oldest first. */
  public synchronized List<AuditEntry> all() {
    List<AuditEntry> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add(json.readValue(line, AuditEntry.class));
        }
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot read the audit log " + file, ex);
    }
    return out;
  }
}
