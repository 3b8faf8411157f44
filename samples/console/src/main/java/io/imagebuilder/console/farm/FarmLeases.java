package io.imagebuilder.console.farm;

import io.imagebuilder.console.ConsoleDatabase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The console's record of each farm build's job ({@code console_farm_leases}): whether the broker
 * confirmed it, which worker holds the build and when that worker last reported. The broker only
 * carries jobs; what a build's state is, and who may build it, is decided here.
 */
public final class FarmLeases {
  /**
   * One build's lease.
   *
   * @param buildId the build
   * @param publishedAt when the broker confirmed its job, or null when it is still to be published
   * @param worker the worker that holds it, or null
   * @param heartbeatAt when that worker last reported, or null
   * @param attempts how many times a worker took it
   */
  public record Lease(
      String buildId, Instant publishedAt, String worker, Instant heartbeatAt, int attempts) {}

  private final ConsoleDatabase db;

  public FarmLeases(ConsoleDatabase db) {
    this.db = db;
  }

  /** The lease of {@code buildId}, if it has one. */
  public Optional<Lease> find(String buildId) {
    return db.jdbc()
        .sql(
            "SELECT published_micros, worker, heartbeat_micros, attempts"
                + " FROM console_farm_leases WHERE build_id = ?")
        .param(buildId)
        .query(
            (rs, n) ->
                new Lease(
                    buildId,
                    instant(rs.getObject(1)),
                    rs.getString(2),
                    instant(rs.getObject(3)),
                    rs.getInt(4)))
        .optional();
  }

  /** The broker confirmed a job of {@code buildId}. */
  public void published(String buildId, Instant at) {
    ensure(buildId);
    db.jdbc()
        .sql("UPDATE console_farm_leases SET published_micros = ? WHERE build_id = ?")
        .params(ConsoleDatabase.micros(at), buildId)
        .update();
  }

  /** {@code worker} takes {@code buildId}: it holds it from now on, one more attempt. */
  public void take(String buildId, String worker, Instant at) {
    ensure(buildId);
    db.jdbc()
        .sql(
            "UPDATE console_farm_leases SET worker = ?, heartbeat_micros = ?,"
                + " attempts = attempts + 1 WHERE build_id = ?")
        .params(worker, ConsoleDatabase.micros(at), buildId)
        .update();
  }

  /** The holder reported. */
  public void heartbeat(String buildId, Instant at) {
    db.jdbc()
        .sql("UPDATE console_farm_leases SET heartbeat_micros = ? WHERE build_id = ?")
        .params(ConsoleDatabase.micros(at), buildId)
        .update();
  }

  /** The build is queued again: nobody holds it and its new job is still to be published. */
  public void release(String buildId) {
    db.jdbc()
        .sql(
            "UPDATE console_farm_leases SET worker = NULL, heartbeat_micros = NULL,"
                + " published_micros = NULL WHERE build_id = ?")
        .param(buildId)
        .update();
  }

  private void ensure(String buildId) {
    db.jdbc()
        .sql(
            "INSERT INTO console_farm_leases (build_id, attempts) VALUES (?, 0)"
                + " ON CONFLICT (build_id) DO NOTHING")
        .param(buildId)
        .update();
  }

  private static Instant instant(Object micros) {
    return micros == null
        ? null
        : Instant.EPOCH.plus(((Number) micros).longValue(), ChronoUnit.MICROS);
  }
}
