package io.imagebuilder.manifest.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.manifest.testing.Fixtures;
import io.imagebuilder.manifest.testing.IndexOnADatabase;
import io.imagebuilder.manifest.testing.IndexWriterMain;
import io.imagebuilder.manifest.testing.RawDisks;
import io.imagebuilder.manifest.testing.Tarballs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageIndexTest {
  @TempDir Path dir;
  Path root;
  Path indexFile;

  @BeforeEach
  void setUp() throws IOException {
    root = Fixtures.rootfs(dir.resolve("root"));
    indexFile = dir.resolve("cache/index.db");
  }

  @Test
  void createsAnEmptyIndexWithTheCurrentSchema() throws Exception {
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      assertEquals(ImageIndex.currentSchemaVersion(), index.schemaVersion());
      assertEquals(2, index.schemaVersion());
      assertEquals(0, index.buildCount());
    }
    assertTrue(Files.isRegularFile(indexFile));
    try (var files = Files.list(indexFile.getParent())) {
      assertTrue(
          files.noneMatch(p -> p.getFileName().toString().endsWith(".new")),
          "temporary file left behind");
    }
  }

  @Test
  void looksUpABuildByArtifactSha256() throws Exception {
    Manifest m = Fixtures.manifest(root, Fixtures.spec(), "a.tar.zst", "bytes of a");
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      long id = index.record(m);

      IndexedBuild found = index.lookup(Fixtures.sha("bytes of a")).orElseThrow();

      assertEquals(id, found.id());
      assertEquals(Fixtures.spec().toCanonicalJson(), found.specJson());
      assertEquals(Fixtures.spec().specHash(), found.specHash());
      assertEquals(m, found.manifest());
      assertEquals(
          found, index.findByArtifact(Fixtures.sha("bytes of a").toUpperCase()).orElseThrow());
      assertTrue(index.lookup(Fixtures.sha("unknown")).isEmpty());
    }
  }

  @Test
  void looksUpABuildByPartitionSha256() throws Exception {
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      index.record(Fixtures.manifest(root, Fixtures.otherSpec(), "other.tar.zst", "other"));
      long id = index.record(Fixtures.diskManifest(root, Fixtures.spec(), "board.img"));

      assertEquals(id, index.findByPartition(Fixtures.sha("board.img/p2")).orElseThrow().id());
      assertEquals(id, index.lookup(Fixtures.sha("board.img/p1")).orElseThrow().id());
      assertTrue(
          index.findByPartition(Fixtures.sha("board.img")).isEmpty(),
          "an artifact is not a partition");
    }
  }

  @Test
  void looksUpBuildsBySpecHash() throws Exception {
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      long first = index.record(Fixtures.manifest(root, Fixtures.spec(), "a.tar.zst", "first"));
      index.record(Fixtures.manifest(root, Fixtures.otherSpec(), "b.tar.zst", "other"));
      long second = index.record(Fixtures.manifest(root, Fixtures.spec(), "a.tar.zst", "second"));

      List<IndexedBuild> builds = index.buildsOfSpec(Fixtures.spec().specHash());

      assertEquals(List.of(first, second), builds.stream().map(IndexedBuild::id).toList());
      assertEquals(
          second,
          index.lookup(Fixtures.spec().specHash()).orElseThrow().id(),
          "lookup by spec gives the latest");
    }
  }

  @Test
  void findsOnlyTheImagesThatContainAPackage() throws Exception {
    String withoutSsh =
        Fixtures.STATUS.substring(0, Fixtures.STATUS.indexOf("Package: openssh-server"));
    Path rootWithout = Fixtures.rootfs(dir.resolve("root2"), withoutSsh);
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      long with =
          index.record(Fixtures.manifest(root, Fixtures.spec(), "with-ssh.tar.zst", "with"));
      index.record(
          Fixtures.manifest(rootWithout, Fixtures.otherSpec(), "without-ssh.tar.zst", "without"));

      List<PackageMatch> all = index.imagesWithPackage("openssh-server");
      List<PackageMatch> atVersion = index.imagesWithPackage("openssh-server=1:9.2p1-2+deb12u2");
      List<PackageMatch> otherVersion = index.imagesWithPackage("openssh-server=1:9.2p1-2");
      List<PackageMatch> libc = index.imagesWithPackage("libc6");

      assertEquals(List.of("with-ssh.tar.zst"), all.stream().map(p -> p.image().file()).toList());
      assertEquals(with, all.get(0).image().buildId());
      assertEquals("1:9.2p1-2+deb12u2", all.get(0).version());
      assertEquals(all, atVersion);
      assertEquals(List.of(), otherVersion);
      assertEquals(
          List.of(
              "with-ssh.tar.zst amd64",
              "with-ssh.tar.zst i386",
              "without-ssh.tar.zst amd64",
              "without-ssh.tar.zst i386"),
          libc.stream().map(p -> p.image().file() + " " + p.architecture()).toList());
    }
  }

  @Test
  void embeddedCopyCannotBeRecorded() throws Exception {
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      Manifest embedded = Fixtures.manifest(root, Fixtures.spec(), "a.tar.zst", "a").embeddedCopy();
      assertThrows(IllegalArgumentException.class, () -> index.record(embedded));
    }
  }

  @Test
  void keepsItsRecordsAcrossOpens() throws Exception {
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      index.record(Fixtures.manifest(root, Fixtures.spec(), "a.tar.zst", "a"));
    }
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      assertEquals(1, index.buildCount());
      assertTrue(index.findByArtifact(Fixtures.sha("a")).isPresent());
    }
  }

  @Test
  void randomBytesAreReportedAndLeftAsTheyWere() throws Exception {
    byte[] junk = new byte[8192];
    new Random(42).nextBytes(junk);
    Files.createDirectories(indexFile.getParent());
    Files.write(indexFile, junk);

    ImageIndexException e =
        assertThrows(ImageIndexException.class, () -> ImageIndex.open(indexFile));

    assertEquals(indexFile.toAbsolutePath(), e.file());
    assertTrue(e.getMessage().contains(indexFile.toAbsolutePath().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not a SQLite database"), e.getMessage());
    assertArrayEquals(junk, Files.readAllBytes(indexFile));
    assertEquals(List.of(indexFile.getFileName().toString()), fileNames(indexFile.getParent()));
  }

  @Test
  void emptyFileIsReportedAndLeftAsItWas() throws Exception {
    Files.createDirectories(indexFile.getParent());
    Files.createFile(indexFile);

    ImageIndexException e =
        assertThrows(ImageIndexException.class, () -> ImageIndex.open(indexFile));

    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    assertEquals(0, Files.size(indexFile));
  }

  @Test
  void foreignSqliteDatabaseIsReportedAndLeftAsItWas() throws Exception {
    Files.createDirectories(indexFile.getParent());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + indexFile);
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
      s.executeUpdate("INSERT INTO customers (name) VALUES ('Ada')");
    }
    byte[] before = Files.readAllBytes(indexFile);

    ImageIndexException e =
        assertThrows(ImageIndexException.class, () -> ImageIndex.open(indexFile));

    assertTrue(e.getMessage().contains(indexFile.toAbsolutePath().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not an ImageBuilder image index"), e.getMessage());
    assertTrue(e.getMessage().contains("customers"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(indexFile));
    assertEquals(List.of(indexFile.getFileName().toString()), fileNames(indexFile.getParent()));
  }

  @Test
  void indexOfAnOlderSchemaIsMigrated() throws Exception {
    // Schema version 0: marked as an index, no tables yet (what a first run stopped early leaves).
    Files.createDirectories(indexFile.getParent());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + indexFile);
        Statement s = c.createStatement()) {
      s.executeUpdate("PRAGMA application_id = " + 0x49424958);
    }

    try (ImageIndex index = ImageIndex.open(indexFile)) {
      assertEquals(ImageIndex.currentSchemaVersion(), index.schemaVersion());
      index.record(Fixtures.manifest(root, Fixtures.spec(), "a.tar.zst", "a"));
      assertEquals(1, index.buildCount());
    }
  }

  @Test
  void indexOfANewerSchemaIsReportedAndLeftAsItWas() throws Exception {
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      index.record(Fixtures.manifest(root, Fixtures.spec(), "a.tar.zst", "a"));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + indexFile);
        Statement s = c.createStatement()) {
      s.executeUpdate("PRAGMA user_version = 99");
    }
    byte[] before = Files.readAllBytes(indexFile);

    ImageIndexException e =
        assertThrows(ImageIndexException.class, () -> ImageIndex.open(indexFile));

    assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(indexFile));
  }

  @Test
  void twoJvmsWritingAtOnceLoseNothing() throws Exception {
    Path go = dir.resolve("go");
    List<Process> processes = new ArrayList<>();
    for (String writer : List.of("left", "right")) {
      processes.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  IndexWriterMain.class.getName(),
                  indexFile.toString(),
                  writer,
                  "50",
                  go.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve(writer + ".log").toFile())
              .start());
    }
    Files.createFile(go);
    for (Process p : processes) {
      assertTrue(p.waitFor(3, TimeUnit.MINUTES), "writer did not finish");
    }
    for (int i = 0; i < processes.size(); i++) {
      String writer = i == 0 ? "left" : "right";
      assertEquals(0, processes.get(i).exitValue(), Files.readString(dir.resolve(writer + ".log")));
    }

    try (ImageIndex index = ImageIndex.open(indexFile)) {
      assertEquals(100, index.buildCount());
      assertEquals(100, index.buildsOfSpec(Fixtures.spec().specHash()).size());
      for (String writer : List.of("left", "right")) {
        for (int i = 0; i < 50; i++) {
          assertTrue(
              index.findByArtifact(Fixtures.sha(writer + "/" + i)).isPresent(), writer + " " + i);
        }
      }
      assertEquals(100, index.imagesWithPackage("openssh-server").size());
    }
  }

  @Test
  void identifiesAnIndexedFileByItsHash() throws Exception {
    Path image = Files.writeString(dir.resolve("a.tar.zst"), "bytes of a", StandardCharsets.UTF_8);
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      Manifest m = Fixtures.manifest(root, Fixtures.spec(), "a.tar.zst", "bytes of a");
      index.record(m);

      Identification id = index.identify(image).orElseThrow();

      assertEquals(Identification.Source.INDEX, id.source());
      assertEquals(Fixtures.sha("bytes of a"), id.sha256());
      assertEquals(m, id.manifest());
      assertEquals(Fixtures.spec().toCanonicalJson(), id.specJson());
    }
  }

  @Test
  void identifiesATarballFromItsEmbeddedManifestWithTheIndexDeleted() throws Exception {
    Manifest full = Fixtures.manifest(root, Fixtures.spec(), "rootfs.tar.xz", "x");
    Path embeddedFile = root.resolve(Manifests.EMBEDDED_PATH.substring(1));
    Files.createDirectories(embeddedFile.getParent());
    Files.writeString(embeddedFile, full.embeddedCopy().toJson());
    Path tarball = Tarballs.write(root, dir.resolve("rootfs.tar.xz"));
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      index.record(
          full.withArtifacts(
              List.of(
                  new ManifestArtifact(
                      "rootfs.tar.xz", "tar.xz", Files.size(tarball), sha(tarball), List.of()))));
      assertEquals(Identification.Source.INDEX, index.identify(tarball).orElseThrow().source());
    }
    Files.delete(indexFile);

    try (ImageIndex fresh = ImageIndex.open(indexFile)) {
      Identification id = fresh.identify(tarball).orElseThrow();

      assertEquals(Identification.Source.EMBEDDED, id.source());
      assertEquals(Fixtures.spec(), id.manifest().toSpec());
      assertEquals(full.packages(), id.manifest().packages());
      assertTrue(id.build().isEmpty());
    }
  }

  @Test
  void identifiesARawDiskFromTheManifestOnItsRootPartitionWithTheIndexDeleted() throws Exception {
    Manifest embedded = Fixtures.manifest(root, Fixtures.spec(), "pc.img", "x").embeddedCopy();
    RawDisks.rootWithManifest(root, embedded.toJson());
    Path disk =
        RawDisks.write(
            dir.resolve("pc.img"),
            "gpt",
            List.of(
                new RawDisks.Part(2048, "uefi", new RawDisks.Fat()),
                new RawDisks.Part(4096, "linux", new RawDisks.Ext4(root))));
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      index.record(
          Fixtures.manifest(root, Fixtures.spec(), "pc.img", "x")
              .withArtifacts(
                  List.of(
                      new ManifestArtifact(
                          "pc.img", "raw", Files.size(disk), sha(disk), List.of()))));
      assertEquals(Identification.Source.INDEX, index.identify(disk).orElseThrow().source());
    }
    Files.delete(indexFile);

    try (ImageIndex fresh = ImageIndex.open(indexFile)) {
      Identification id = fresh.identify(disk).orElseThrow();

      assertEquals(Identification.Source.EMBEDDED, id.source());
      assertEquals(sha(disk), id.sha256());
      assertEquals(embedded, id.manifest());
      assertEquals(Fixtures.spec(), id.manifest().toSpec());
    }
  }

  @Test
  void fileNeitherIndexedNorWithAManifestIsUnknown() throws Exception {
    Path file = Files.writeString(dir.resolve("random.bin"), "nothing here");
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      assertTrue(index.identify(file).isEmpty());
    }
  }

  @Test
  void resolveTakesAFileOrAHash() throws Exception {
    Path image = Files.writeString(dir.resolve("a.tar.zst"), "bytes of a", StandardCharsets.UTF_8);
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      index.record(Fixtures.manifest(root, Fixtures.spec(), "a.tar.zst", "bytes of a"));

      assertEquals(
          Fixtures.spec().toCanonicalJson(),
          index.resolve(image.toString()).orElseThrow().specJson());
      assertEquals(
          Fixtures.spec().toCanonicalJson(),
          index.resolve(Fixtures.sha("bytes of a")).orElseThrow().specJson());
      assertTrue(index.resolve(Fixtures.sha("other")).isEmpty());
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> index.resolve("no-such-file"));
      assertEquals(
          "invalid image 'no-such-file' (expected an image file or its sha256, 64 hex digits)",
          e.getMessage());
    }
  }

  /** The example of the module's README, verbatim between the markers. */
  @Test
  void readmeExample() throws Exception {
    Path imageFile =
        Files.writeString(dir.resolve("bookworm-amd64.tar.zst"), "bytes", StandardCharsets.UTF_8);
    try (ImageIndex seed = ImageIndex.open(indexFile)) {
      seed.record(Fixtures.manifest(root, Fixtures.spec(), "bookworm-amd64.tar.zst", "bytes"));
    }
    // README example start
    try (ImageIndex index = ImageIndex.open(indexFile)) { // ImageIndex.open() for the default index
      // From an image file (or its sha256) back to the spec that built it.
      Identification id = index.identify(imageFile).orElseThrow();
      ImageSpec spec = id.manifest().toSpec();
      System.out.println(id.source() + " " + spec.specHash());

      // Every image that contains openssh-server, at any version.
      for (PackageMatch match : index.imagesWithPackage("openssh-server")) {
        System.out.println(
            match.image().file() + " " + match.image().sha256() + " " + match.version());
      }

      // Every build of that spec.
      List<IndexedBuild> builds = index.buildsOfSpec(spec.specHash());
      System.out.println(builds.size() + " build(s)");
    }
    // README example end
  }

  @Test
  void badHashIsACallerMistake() throws Exception {
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> index.lookup("abc"));
      assertEquals("invalid sha256 'abc' (expected 64 lower-case hex digits)", e.getMessage());
    }
  }

  @Test
  void defaultFileIsInTheUserCache() {
    assertEquals("index.db", ImageIndex.defaultFile().getFileName().toString());
    assertEquals("imagebuilder", ImageIndex.defaultFile().getParent().getFileName().toString());
  }

  private static String sha(Path file) throws IOException {
    return Sha256.ofFile(file);
  }

  private static List<String> fileNames(Path directory) throws IOException {
    try (var files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void anIndexOfSchemaVersion1IsMigratedWithEveryBuildKept() throws Exception {
    // What the previous version wrote: its tables (migration 1, unchanged) and its inserts.
    Manifest old = Fixtures.manifest(root, Fixtures.spec(), "a.tar.zst", "a");
    Files.createDirectories(indexFile.getParent());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + indexFile);
        Statement s = c.createStatement()) {
      s.executeUpdate("PRAGMA application_id = " + 0x49424958);
      for (String sql : io.imagebuilder.manifest.internal.index.IndexSchemaAccess.version1()) {
        s.executeUpdate(sql);
      }
      s.executeUpdate("PRAGMA user_version = 1");
      try (var p =
          c.prepareStatement(
              "INSERT INTO builds (spec_hash, spec_json, manifest_json, created_at) VALUES (?, ?, ?, ?)")) {
        for (int i = 0; i < 2; i++) { // the same bytes built twice
          p.setString(1, old.specHash());
          p.setString(2, old.specJson());
          p.setString(3, old.toJson());
          p.setString(4, "2026-01-0" + (i + 1) + "T00:00:00Z");
          p.executeUpdate();
        }
      }
      ManifestArtifact a = old.artifacts().get(0);
      for (int build = 1; build <= 2; build++) {
        s.executeUpdate(
            "INSERT INTO artifacts (build_id, sha256, file_name, format, size) VALUES ("
                + build
                + ", '"
                + a.sha256()
                + "', '"
                + a.file()
                + "', '"
                + a.format()
                + "', "
                + a.size()
                + ")");
      }
    }

    try (ImageIndex index = ImageIndex.open(indexFile)) {
      assertEquals(2, index.schemaVersion());
      assertEquals(2, index.buildCount(), "every build kept");
      assertEquals(1, index.imageCount(), "one image row for the bytes both built");
      IndexedBuild found = index.lookup(old.artifacts().get(0).sha256()).orElseThrow();
      assertEquals(2, found.id());
      assertEquals(old.toJson(), found.manifestJson());
      assertEquals(null, found.planId(), "not recorded back then");
    }
  }

  @Test
  void aBuildRecordsItsPlanAndOutputAndRebuiltBytesAddNoImage() throws Exception {
    Manifest m = Fixtures.manifest(root, Fixtures.spec(), "a.tar.zst", "a");
    String plain = "a".repeat(64);
    String transformed = "b".repeat(64);
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      index.record(
          m,
          new BuildOrigin(
              plain, "[{\"type\":\"rootfs.bootstrap\"}]", dir.resolve("out1").toAbsolutePath()));
      index.record(
          m,
          new BuildOrigin(
              transformed, "[{\"type\":\"tool.extra\"}]", dir.resolve("out2").toAbsolutePath()));

      assertEquals(2, index.buildCount());
      assertEquals(1, index.imageCount());
      IndexedBuild latest = index.lookup(m.artifacts().get(0).sha256()).orElseThrow();
      assertEquals(
          transformed, latest.planId(), "the plan that built the bytes, not the plain spec's");
      assertEquals("[{\"type\":\"tool.extra\"}]", latest.planJson());
      assertEquals(
          dir.resolve("out2/a.tar.zst").toAbsolutePath(),
          latest.artifactPath("a.tar.zst").orElseThrow());
    }
  }

  @Test
  void anIndexOnASqliteDataSourceSharesTheDatabaseAndKeepsItsRecords() throws Exception {
    org.sqlite.SQLiteDataSource db = new org.sqlite.SQLiteDataSource();
    db.setUrl("jdbc:sqlite:" + dir.resolve("app.db"));
    IndexOnADatabase.check(db, root);
  }

  @Test
  void anOldIndexFileOpenedThroughADataSourceIsMigratedWithItsBuilds() throws Exception {
    // a file of the version before Flyway, at schema version 2 with one build, no history table
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      index.record(Fixtures.manifest(root, Fixtures.spec(), "a.tar.zst", "a"));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + indexFile);
        Statement s = c.createStatement()) {
      s.executeUpdate("DROP TABLE imagebuilder_index_history");
    }
    org.sqlite.SQLiteDataSource db = new org.sqlite.SQLiteDataSource();
    db.setUrl("jdbc:sqlite:" + indexFile);
    try (ImageIndex index = ImageIndex.open(db)) {
      assertEquals(2, index.schemaVersion());
      assertEquals(1, index.buildCount());
    }
    try (ImageIndex index = ImageIndex.open(indexFile)) {
      assertEquals(1, index.buildCount(), "and the file still opens as a file");
    }
  }

  @Test
  void aDatabaseWithANewerIndexSchemaIsReported() throws Exception {
    org.sqlite.SQLiteDataSource db = new org.sqlite.SQLiteDataSource();
    db.setUrl("jdbc:sqlite:" + dir.resolve("app.db"));
    ImageIndex.open(db).close();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "INSERT INTO imagebuilder_index_history (installed_rank, version, description, type,"
              + " script, checksum, installed_by, installed_on, execution_time, success)"
              + " VALUES (99, '99', 'from the future', 'SQL', 'V99__future.sql', 0, 'test',"
              + " '2026-01-01 00:00:00', 0, 1)");
    }

    ImageIndexException e = assertThrows(ImageIndexException.class, () -> ImageIndex.open(db));

    assertTrue(e.getMessage().contains("index schema version 99"), e.getMessage());
    assertTrue(e.getMessage().contains("app.db"), "names the database: " + e.getMessage());
  }
}
