package io.imagebuilder.console.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.ConsoleDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Keeps each build as a row of {@code console_builds}: the build as JSON, with its status and
 * submission time beside it for queries.
 */
public final class JdbcBuildStore implements BuildStore {
  private final ConsoleDatabase db;
  private final ObjectMapper json;

  public JdbcBuildStore(ConsoleDatabase db, ObjectMapper json) {
    this.db = db;
    this.json = json;
  }

  @Override
  public void failInterrupted() {
    for (BuildView b : withStatus(BuildStatus.RUNNING)) {
      save(
          b.with(
              BuildStatus.FAILED,
              b.startedAt(),
              Instant.now(),
              b.stages(),
              List.of(),
              "the console stopped while this build was running",
              null));
    }
  }

  @Override
  public void save(BuildView build) {
    BuildIds.check(build.id());
    db.jdbc()
        .sql(
            "INSERT INTO console_builds"
                + " (id, status, submitted_at_micros, submitted_by, spec_hash, build_json)"
                + " VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (id) DO UPDATE SET status = excluded.status,"
                + " build_json = excluded.build_json")
        .params(
            build.id(),
            build.status().name(),
            ConsoleDatabase.micros(build.submittedAt()),
            String.valueOf(build.submittedBy()),
            String.valueOf(build.specHash()),
            write(build))
        .update();
  }

  @Override
  public Optional<BuildView> find(String id) {
    if (!BuildIds.isValid(id)) {
      return Optional.empty();
    }
    return db.jdbc()
        .sql("SELECT build_json FROM console_builds WHERE id = ?")
        .param(id)
        .query((rs, n) -> read(rs.getString(1)))
        .optional();
  }

  @Override
  public List<BuildView> withStatus(BuildStatus status) {
    return db.jdbc()
        .sql(
            "SELECT build_json FROM console_builds WHERE status = ?"
                + " ORDER BY submitted_at_micros, id")
        .param(status.name())
        .query((rs, n) -> read(rs.getString(1)))
        .list();
  }

  @Override
  public List<BuildView> all() {
    return db.jdbc()
        .sql("SELECT build_json FROM console_builds ORDER BY submitted_at_micros DESC, id DESC")
        .query((rs, n) -> read(rs.getString(1)))
        .list();
  }

  private String write(BuildView build) {
    try {
      return json.writeValueAsString(build);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write build " + build.id() + " as JSON", e);
    }
  }

  private BuildView read(String text) {
    try {
      return json.readValue(text, BuildView.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "a row of console_builds is not a build: " + e.getOriginalMessage(), e);
    }
  }
}
