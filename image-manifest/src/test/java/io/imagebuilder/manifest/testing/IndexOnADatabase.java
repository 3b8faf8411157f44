package io.imagebuilder.manifest.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.manifest.api.ImageIndex;
import io.imagebuilder.manifest.api.IndexedBuild;
import io.imagebuilder.manifest.api.Manifest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * What an index on a caller's database must do, whichever the database: share it with an
 * application's own table, record builds, answer every lookup, and still hold them when opened
 * again (a service restarted). The same checks run on SQLite (a unit test) and on PostgreSQL (an
 * IT).
 */
public final class IndexOnADatabase {
  private IndexOnADatabase() {}

  /**
   * Runs the checks on an empty database (or schema).
   *
   * @param root a rootfs made by {@link Fixtures#rootfs(Path)}
   */
  public static void check(DataSource db, Path root) throws Exception {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      // an application's own table, there first
      s.executeUpdate("CREATE TABLE app_things (name TEXT PRIMARY KEY)");
      s.executeUpdate("INSERT INTO app_things (name) VALUES ('kept')");
    }
    Manifest tarball = Fixtures.manifest(root, Fixtures.spec(), "a.tar.zst", "bytes of a");
    Manifest disk = Fixtures.diskManifest(root, Fixtures.otherSpec(), "board.img");
    long first;
    long second;
    try (ImageIndex index = ImageIndex.open(db)) {
      assertNull(index.file(), "no file");
      assertEquals(ImageIndex.currentSchemaVersion(), index.schemaVersion());
      first = index.record(tarball);
      second = index.record(disk);
      index.record(tarball); // the same bytes built again
      assertEquals(3, index.buildCount());
      assertEquals(2, index.imageCount(), "rebuilt bytes add no image");
    }

    // opened again, as a restarted service does: migrations are not run twice, nothing is lost
    try (ImageIndex index = ImageIndex.open(db)) {
      assertEquals(3, index.buildCount());
      IndexedBuild byArtifact = index.lookup(Fixtures.sha("bytes of a")).orElseThrow();
      assertEquals(tarball, byArtifact.manifest());
      assertTrue(byArtifact.id() > second, "the latest build of those bytes");
      assertEquals(second, index.lookup(Fixtures.sha("board.img/p2")).orElseThrow().id());
      assertEquals(
          List.of(first, byArtifact.id()),
          index.buildsOfSpec(Fixtures.spec().specHash()).stream().map(IndexedBuild::id).toList());
      assertEquals(
          List.of("a.tar.zst", "board.img", "a.tar.zst"),
          index.imagesWithPackage("openssh-server=1:9.2p1-2+deb12u2").stream()
              .map(p -> p.image().file())
              .toList());
      assertTrue(index.lookup(Fixtures.sha("unknown")).isEmpty());
    }

    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT name FROM app_things")) {
      assertTrue(rs.next() && rs.getString(1).equals("kept"), "the application's row");
    }
  }
}
