package io.imagebuilder.manifest.internal.index;

import java.util.List;

/** Lets tests write an index of an older schema with the exact statements it was made with. */
public final class IndexSchemaAccess {
  private IndexSchemaAccess() {}

  /** The statements of schema version 1, as the library ran them before it used Flyway. */
  public static List<String> version1() {
    return List.of(
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
        "CREATE INDEX packages_build ON packages(build_id)");
  }
}
