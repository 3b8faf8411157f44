package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.samples.testing.IndexFixture;
import io.imagebuilder.samples.testing.IndexFixture.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestCommandTest {
  @TempDir Path dir;

  @Test
  void anIndexedImageGivesItsCompleteManifest() throws Exception {
    Path cache = dir.resolve("cache");
    Image image =
        IndexFixture.image(dir, "a.tar.gz", IndexFixture.spec("a", "openssh-server"), true);
    IndexFixture.record(cache, image);

    CliRun run = CliRun.run("manifest", image.file().toString(), "--cache", cache.toString());

    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    assertEquals(image.manifest().toJson(), run.out());
  }

  @Test
  void anImageNotIndexedGivesItsEmbeddedManifest() throws Exception {
    Path cache = dir.resolve("cache");
    Image indexed = IndexFixture.image(dir, "a.tar.gz", IndexFixture.spec("a"), false);
    IndexFixture.record(cache, indexed);
    Image other =
        IndexFixture.image(dir, "b.tar.gz", IndexFixture.spec("b", "openssh-server"), true);

    CliRun run = CliRun.run("manifest", other.file().toString(), "--cache", cache.toString());

    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    Manifest m = Manifest.fromJson(run.out());
    assertTrue(m.embedded());
    assertEquals(other.manifest().embeddedCopy(), m);
    assertTrue(
        run.err()
            .contains(
                "is not in the index "
                    + cache.resolve("index.db")
                    + "; read the manifest embedded in the image"),
        run::toString);
  }

  @Test
  void aFileWithoutAManifestFails() throws Exception {
    Path plain = dir.resolve("plain.tar.gz");
    IndexFixture.writeTarball(plain, Map.of("etc/hostname", "x\n"));

    CliRun run =
        CliRun.run("manifest", plain.toString(), "--cache", dir.resolve("none").toString());

    assertEquals(ExitCodes.FAILED, run.exitCode(), run::toString);
    assertEquals("", run.out());
    assertTrue(
        run.err()
            .startsWith(
                "imagebuilder: "
                    + plain
                    + " is not indexed (the index "
                    + dir.resolve("none/index.db")
                    + " does not exist) and holds no ImageBuilder manifest"),
        run::toString);
  }

  @Test
  void aMissingFileIsAUsageError() {
    CliRun run = CliRun.run("manifest", dir.resolve("gone.img").toString());

    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertTrue(
        run.err()
            .contains(
                "invalid image '"
                    + dir.resolve("gone.img")
                    + "' (expected an existing image file)"),
        run::toString);
  }

  @Test
  void aDamagedTarballIsAFailureWithItsName() throws Exception {
    Image image = IndexFixture.image(dir, "a.tar.gz", IndexFixture.spec("a"), false);
    byte[] bytes = Files.readAllBytes(image.file());
    Path cut = dir.resolve("cut.tar.gz");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    CliRun run = CliRun.run("manifest", cut.toString(), "--cache", dir.resolve("none").toString());

    assertEquals(ExitCodes.FAILED, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("imagebuilder: "), run::toString);
    assertTrue(run.err().contains(cut.toString()), run::toString);
    assertFalse(run.err().contains("internal error"), run::toString);
  }

  @Test
  void aForeignIndexIsReportedAndLeftAsItWas() throws Exception {
    Image image = IndexFixture.image(dir, "a.tar.gz", IndexFixture.spec("a"), false);
    Path cache = Files.createDirectories(dir.resolve("cache"));
    byte[] text = "not a database\n".getBytes();
    Files.write(cache.resolve("index.db"), text);

    CliRun run = CliRun.run("manifest", image.file().toString(), "--cache", cache.toString());

    assertEquals(ExitCodes.FAILED, run.exitCode(), run::toString);
    assertTrue(
        run.err().contains(cache.resolve("index.db") + " is not an ImageBuilder image index"),
        run::toString);
    assertArrayEquals(text, Files.readAllBytes(cache.resolve("index.db")));
  }
}
