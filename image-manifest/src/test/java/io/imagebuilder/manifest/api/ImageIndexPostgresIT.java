package io.imagebuilder.manifest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.imagebuilder.manifest.testing.Fixtures;
import io.imagebuilder.manifest.testing.IndexOnADatabase;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The index on a real PostgreSQL server (scripts/postgres-loopback.sh: 127.0.0.1:5433, database,
 * user and password 'imagebuilder'), in a schema of this test's own that it drops after: the same
 * migrations and statements as on SQLite.
 */
class ImageIndexPostgresIT {
  private static final String URL =
      System.getenv()
          .getOrDefault(
              "IMAGEBUILDER_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5433/imagebuilder");

  @TempDir Path dir;
  private final String schema =
      "ixit_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
  private PGSimpleDataSource admin;
  private PGSimpleDataSource db;

  private static PGSimpleDataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(URL);
    ds.setUser("imagebuilder");
    ds.setPassword("imagebuilder");
    return ds;
  }

  @BeforeEach
  void schema() throws SQLException {
    admin = dataSource();
    try (Connection c = admin.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      fail(
          "PostgreSQL does not answer on "
              + URL
              + " (expected it started by scripts/postgres-loopback.sh start, as scripts/test.sh"
              + " does): "
              + e.getMessage());
    }
    db = dataSource();
    db.setCurrentSchema(schema);
  }

  @AfterEach
  void dropSchema() throws SQLException {
    try (Connection c = admin.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  @Test
  void recordsAndAnswersEveryLookupBesideAnApplicationsTables() throws Exception {
    IndexOnADatabase.check(db, Fixtures.rootfs(dir.resolve("root")));

    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version FROM imagebuilder_index_history WHERE success"
                    + " AND version IS NOT NULL ORDER BY installed_rank")) {
      StringBuilder versions = new StringBuilder();
      while (rs.next()) {
        versions.append(rs.getString(1)).append(' ');
      }
      // the baseline (the application's table was there first), then both migrations
      assertEquals("0 1 2 ", versions.toString());
    }
  }

  @Test
  void anArtifactOfMoreThan2GiBKeepsItsSize() throws Exception {
    Manifest big =
        Fixtures.manifest(
            Fixtures.rootfs(dir.resolve("root")), Fixtures.spec(), "big.img", "big bytes");
    ManifestArtifact a = big.artifacts().get(0);
    Manifest withBigSize =
        big.withArtifacts(
            java.util.List.of(
                new ManifestArtifact(a.file(), a.format(), 5L << 30, a.sha256(), a.partitions())));
    try (ImageIndex index = ImageIndex.open(db)) {
      index.record(withBigSize);
      PackageMatch m = index.imagesWithPackage("libc6").get(0);
      assertEquals(5L << 30, m.image().size());
      assertTrue(index.findByArtifact(a.sha256()).isPresent());
    }
  }
}
