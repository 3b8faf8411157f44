package io.imagebuilder.manifest.internal.index;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Opens the index in a caller's database (PostgreSQL, or SQLite through a DataSource): its tables
 * are created or migrated by the same migrations as an index file's, beside whatever else the
 * database holds.
 */
public final class IndexDatabase {
  private IndexDatabase() {}

  /**
   * Migrates the index's tables in {@code dataSource}.
   *
   * @return the schema version after migration
   * @throws SQLException if the database cannot be reached, holds a newer index or a migration
   *     fails
   */
  public static int migrate(DataSource dataSource) throws SQLException {
    int baseline = 0;
    boolean ourSqliteFile;
    try (Connection c = dataSource.getConnection()) {
      // a SQLite index file made before Flyway, opened through a DataSource: its own version
      ourSqliteFile =
          IndexSchema.isSqlite(c) && IndexSchema.applicationId(c) == IndexSchema.APPLICATION_ID;
      if (ourSqliteFile) {
        baseline = IndexSchema.userVersion(c);
      }
    }
    int version = IndexSchema.migrate(dataSource, baseline);
    if (ourSqliteFile) {
      try (Connection c = dataSource.getConnection()) {
        IndexSchema.setUserVersion(c, version);
      }
    }
    return version;
  }

  /** Names the database for messages: its JDBC URL without parameters (where a password may be). */
  public static String describe(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      String url = String.valueOf(c.getMetaData().getURL());
      int cut = url.length();
      for (char ch : new char[] {'?', ';'}) {
        int at = url.indexOf(ch);
        if (at >= 0 && at < cut) {
          cut = at;
        }
      }
      return "the image index in " + url.substring(0, cut);
    } catch (SQLException e) {
      return "the image index in a database that cannot be reached (" + e.getMessage() + ")";
    }
  }
}
