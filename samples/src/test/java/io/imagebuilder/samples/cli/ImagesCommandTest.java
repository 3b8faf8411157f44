package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.manifest.api.IndexedImage;
import io.imagebuilder.manifest.api.PackageMatch;
import io.imagebuilder.samples.testing.IndexFixture;
import io.imagebuilder.samples.testing.IndexFixture.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesCommandTest {
  @TempDir Path dir;
  Path cache;
  Image ssh;
  Image plain;

  @BeforeEach
  void recordTwoImages() throws Exception {
    cache = dir.resolve("cache");
    ssh = IndexFixture.image(dir, "ssh.tar.gz", IndexFixture.spec("ssh", "openssh-server"), true);
    plain = IndexFixture.image(dir, "plain.tar.gz", IndexFixture.spec("plain"), false);
    IndexFixture.record(cache, ssh, plain);
  }

  @Test
  void onlyTheImageWithThePackageIsListed() {
    CliRun run = CliRun.run("images", "--package", "openssh-server", "--cache", cache.toString());

    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    List<String> lines = run.out().lines().toList();
    assertEquals(1, lines.size(), run::toString);
    String[] columns = lines.get(0).split(" +");
    assertEquals(ssh.sha256(), columns[0]);
    assertEquals("ssh.tar.gz", columns[1]);
    assertEquals("1:9.2p1-2+deb12u2", columns[2]);
    assertEquals("amd64", columns[3]);
    assertEquals(ssh.spec().specHash(), columns[4]);
    Instant.parse(columns[5]);
  }

  @Test
  void aPackageInBothImagesListsBoth() {
    CliRun run = CliRun.run("images", "--package", "libc6", "--cache", cache.toString());

    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    assertEquals(
        List.of(plain.sha256(), ssh.sha256()).stream().sorted().toList(),
        run.out().lines().map(l -> l.split(" +")[0]).sorted().toList());
  }

  @Test
  void aVersionMustMatchExactly() {
    CliRun right =
        CliRun.run(
            "images", "--package", "openssh-server=1:9.2p1-2+deb12u2", "--cache", cache.toString());
    CliRun wrong =
        CliRun.run("images", "-p", "openssh-server=9.2p1-2+deb12u2", "--cache", cache.toString());

    assertEquals(ExitCodes.OK, right.exitCode(), right::toString);
    assertTrue(right.out().startsWith(ssh.sha256()), right::toString);
    assertEquals(ExitCodes.FAILED, wrong.exitCode(), wrong::toString);
    assertEquals("", wrong.out());
  }

  @Test
  void noImageWithThePackageFailsNamingTheIndex() {
    CliRun run = CliRun.run("images", "--package", "curl", "--cache", cache.toString());

    assertEquals(ExitCodes.FAILED, run.exitCode(), run::toString);
    assertEquals(
        "imagebuilder: no image contains curl in the index " + cache.resolve("index.db") + "\n",
        run.err());
  }

  @Test
  void aMissingIndexSaysSoAndIsNotCreated() {
    Path none = dir.resolve("none");

    CliRun run = CliRun.run("images", "--package", "curl", "--cache", none.toString());

    assertEquals(ExitCodes.FAILED, run.exitCode(), run::toString);
    assertTrue(
        run.err().contains("(the index " + none.resolve("index.db") + " does not exist)"),
        run::toString);
    assertFalse(Files.exists(none));
  }

  @Test
  void aBadPackageNameIsAUsageErrorQuotingIt() {
    CliRun run = CliRun.run("images", "--package", "Open SSH", "--cache", cache.toString());

    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().contains("invalid package name 'Open SSH'"), run::toString);
  }

  @Test
  void withoutPackageItIsAUsageError() {
    CliRun run = CliRun.run("images", "--cache", cache.toString());

    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().contains("--package"), run::toString);
  }

  @Test
  void columnsAreAligned() {
    Instant t = Instant.parse("2024-05-01T10:00:00.123456Z");
    String a = "a".repeat(64);
    String b = "b".repeat(64);
    List<String> lines =
        ImagesCommand.lines(
            List.of(
                new PackageMatch(
                    new IndexedImage(1, a, t, "short.tar", "tar", 1, a), "p", "1.0-1", "amd64"),
                new PackageMatch(
                    new IndexedImage(2, b, t, "a-longer-name.tar.zst", "tar.zst", 1, b),
                    "p",
                    "1:10.2-3",
                    "all")));

    assertEquals(
        a + "  short.tar              1.0-1     amd64  " + a + "  2024-05-01T10:00:00Z",
        lines.get(0));
    assertEquals(
        b + "  a-longer-name.tar.zst  1:10.2-3  all    " + b + "  2024-05-01T10:00:00Z",
        lines.get(1));
  }
}
