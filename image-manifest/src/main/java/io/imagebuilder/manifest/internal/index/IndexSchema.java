package io.imagebuilder.manifest.internal.index;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The index's tables and how to bring an older file up to date. The file is marked as ours by
 * {@code PRAGMA application_id} ({@link #APPLICATION_ID}); {@code PRAGMA user_version} is the
 * schema version. Migration {@code i} (0-based) takes a file from version {@code i} to {@code i+1};
 * each runs in the same transaction as the version bump.
 */
public final class IndexSchema {
  /** "IBIX" in ASCII: marks a SQLite file as an ImageBuilder index. */
  public static final int APPLICATION_ID = 0x49424958;

  static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              "CREATE TABLE builds ("
                  + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                  + " spec_hash TEXT NOT NULL,"
                  + " spec_json TEXT NOT NULL,"
                  + " manifest_json TEXT NOT NULL,"
                  + " created_at TEXT NOT NULL)",
              "CREATE INDEX builds_spec_hash ON builds(spec_hash)",
              "CREATE TABLE artifacts ("
                  + " build_id INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,"
                  + " sha256 TEXT NOT NULL,"
                  + " file_name TEXT NOT NULL,"
                  + " format TEXT NOT NULL,"
                  + " size INTEGER NOT NULL)",
              "CREATE INDEX artifacts_sha256 ON artifacts(sha256)",
              "CREATE INDEX artifacts_build ON artifacts(build_id)",
              "CREATE TABLE partitions ("
                  + " build_id INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,"
                  + " artifact_sha256 TEXT NOT NULL,"
                  + " number INTEGER NOT NULL,"
                  + " sha256 TEXT NOT NULL)",
              "CREATE INDEX partitions_sha256 ON partitions(sha256)",
              "CREATE TABLE packages ("
                  + " build_id INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,"
                  + " name TEXT NOT NULL,"
                  + " version TEXT NOT NULL,"
                  + " architecture TEXT NOT NULL)",
              "CREATE INDEX packages_name_version ON packages(name, version)",
              "CREATE INDEX packages_build ON packages(build_id)"),
          // 2: the plan that ran and where the artifacts went; one row per distinct artifact
          // (images), the artifacts table staying the record of which build wrote which image.
          List.of(
              "ALTER TABLE builds ADD COLUMN plan_id TEXT",
              "ALTER TABLE builds ADD COLUMN plan_json TEXT",
              "ALTER TABLE builds ADD COLUMN output_dir TEXT",
              "CREATE INDEX builds_plan_id ON builds(plan_id)",
              "CREATE TABLE images ("
                  + " sha256 TEXT PRIMARY KEY,"
                  + " format TEXT NOT NULL,"
                  + " size INTEGER NOT NULL,"
                  + " first_build_id INTEGER NOT NULL REFERENCES builds(id))",
              "INSERT INTO images (sha256, format, size, first_build_id)"
                  + " SELECT sha256, format, size, min(build_id) FROM artifacts GROUP BY sha256"));

  /** The schema version this library writes. */
  public static final int CURRENT_VERSION = MIGRATIONS.size();

  private IndexSchema() {}

  static int applicationId(Connection c) throws SQLException {
    return pragmaInt(c, "application_id");
  }

  static int userVersion(Connection c) throws SQLException {
    return pragmaInt(c, "user_version");
  }

  /** Applies the migrations from {@code from} to the current version; the caller commits. */
  static void migrate(Connection c, int from) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (int v = from; v < CURRENT_VERSION; v++) {
        for (String sql : MIGRATIONS.get(v)) {
          s.executeUpdate(sql);
        }
      }
      s.executeUpdate("PRAGMA user_version = " + CURRENT_VERSION);
    }
  }

  static List<String> tableNames(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
      List<String> names = new java.util.ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      return names;
    }
  }

  private static int pragmaInt(Connection c, String pragma) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }
}
