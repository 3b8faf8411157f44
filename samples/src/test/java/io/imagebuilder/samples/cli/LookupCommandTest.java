package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.samples.testing.IndexFixture;
import io.imagebuilder.samples.testing.IndexFixture.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LookupCommandTest {
  @TempDir Path dir;
  Path cache;
  Image ssh;

  @BeforeEach
  void recordOneImage() throws Exception {
    cache = dir.resolve("cache");
    ssh = IndexFixture.image(dir, "ssh.tar.gz", IndexFixture.spec("ssh", "openssh-server"), true);
    IndexFixture.record(cache, ssh);
  }

  @Test
  void theSha256OfAnArtifactGivesTheSpecThatBuiltIt() {
    CliRun run = CliRun.run("lookup", ssh.sha256(), "--cache", cache.toString());

    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    assertEquals(ssh.spec().specHash(), ImageSpec.fromJson(run.out()).specHash(), run::toString);
    assertTrue(run.err().contains("in the index " + cache.resolve("index.db")), run::toString);
  }

  @Test
  void anUpperCaseSha256IsTheSameImage() {
    CliRun run =
        CliRun.run("lookup", ssh.sha256().toUpperCase(Locale.ROOT), "--cache", cache.toString());

    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    assertEquals(ssh.spec(), ImageSpec.fromJson(run.out()));
  }

  @Test
  void theSpecHashGivesTheSpec() {
    CliRun run = CliRun.run("lookup", ssh.spec().specHash(), "--cache", cache.toString());

    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    assertEquals(ssh.spec(), ImageSpec.fromJson(run.out()));
  }

  @Test
  void anIndexedFileGivesItsSpecAndWithManifestItsCompleteManifest() {
    CliRun spec = CliRun.run("lookup", ssh.file().toString(), "--cache", cache.toString());
    CliRun manifest =
        CliRun.run("lookup", ssh.file().toString(), "--manifest", "--cache", cache.toString());

    assertEquals(ssh.spec(), ImageSpec.fromJson(spec.out()), spec::toString);
    assertEquals(ExitCodes.OK, manifest.exitCode(), manifest::toString);
    Manifest m = Manifest.fromJson(manifest.out());
    assertFalse(m.embedded());
    assertEquals(ssh.sha256(), m.artifacts().get(0).sha256());
    assertEquals("1:9.2p1-2+deb12u2", m.findPackage("openssh-server").orElseThrow().version());
  }

  @Test
  void aFileNotIndexedIsIdentifiedByItsEmbeddedManifestWithoutCreatingAnIndex() throws Exception {
    Path emptyCache = dir.resolve("no-index");
    Image other = IndexFixture.image(dir, "other.tar.gz", IndexFixture.spec("other"), false);

    CliRun run =
        CliRun.run(
            "lookup", other.file().toString(), "--manifest", "--cache", emptyCache.toString());

    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    Manifest m = Manifest.fromJson(run.out());
    assertTrue(m.embedded());
    assertEquals(other.spec().specHash(), m.specHash());
    assertTrue(
        run.err().contains("the index " + emptyCache.resolve("index.db") + " does not exist"),
        run::toString);
    assertFalse(
        Files.exists(emptyCache), "a lookup must not create the cache directory or an index");
  }

  @Test
  void anUnknownSha256FailsNamingTheIndex() {
    String unknown = IndexFixture.sha256("nothing was built with this");

    CliRun run = CliRun.run("lookup", unknown, "--cache", cache.toString());

    assertEquals(ExitCodes.FAILED, run.exitCode(), run::toString);
    assertEquals("", run.out());
    assertEquals(
        "imagebuilder: sha256 "
            + unknown
            + " is not in the index "
            + cache.resolve("index.db")
            + "\n",
        run.err());
  }

  @Test
  void aMissingIndexFindsNothingAndIsNotCreated() {
    Path none = dir.resolve("none");

    CliRun run = CliRun.run("lookup", ssh.sha256(), "--cache", none.toString());

    assertEquals(ExitCodes.FAILED, run.exitCode(), run::toString);
    assertTrue(
        run.err().contains("the index " + none.resolve("index.db") + " does not exist"),
        run::toString);
    assertFalse(Files.exists(none));
  }

  @Test
  void aFileWithoutAManifestFailsNamingTheFileAndTheIndex() throws Exception {
    Path plain = dir.resolve("plain.tar.gz");
    IndexFixture.writeTarball(plain, Map.of("etc/hostname", "x\n"));

    CliRun run = CliRun.run("lookup", plain.toString(), "--cache", cache.toString());

    assertEquals(ExitCodes.FAILED, run.exitCode(), run::toString);
    assertTrue(
        run.err()
            .startsWith(
                "imagebuilder: "
                    + plain
                    + " is not in the index "
                    + cache.resolve("index.db")
                    + " and holds no ImageBuilder manifest at /usr/share/imagebuilder/manifest.json"),
        run::toString);
  }

  @Test
  void neitherAFileNorASha256IsAUsageError() {
    CliRun run = CliRun.run("lookup", "debian.tar.zst", "--cache", cache.toString());

    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertTrue(
        run.err()
            .contains(
                "invalid image 'debian.tar.zst' (expected an existing image file or a sha256"),
        run::toString);
  }

  @Test
  void withoutAnImageItIsAUsageError() {
    CliRun run = CliRun.run("lookup");

    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().contains("SHA256|FILE"), run::toString);
  }

  @Test
  void aCorruptIndexIsReportedAndLeftByteForByte() throws Exception {
    Path bad = Files.createDirectories(dir.resolve("bad"));
    byte[] garbage = "SQLite format 3\0 but then nothing a database holds".repeat(50).getBytes();
    Files.write(bad.resolve("index.db"), garbage);

    CliRun run = CliRun.run("lookup", ssh.sha256(), "--cache", bad.toString());

    assertEquals(ExitCodes.FAILED, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("imagebuilder: " + bad.resolve("index.db")), run::toString);
    assertTrue(run.err().contains("left as it is"), run::toString);
    assertArrayEquals(garbage, Files.readAllBytes(bad.resolve("index.db")));
    assertEquals(1, Files.list(bad).count(), "nothing is created beside the corrupt index");
  }
}
