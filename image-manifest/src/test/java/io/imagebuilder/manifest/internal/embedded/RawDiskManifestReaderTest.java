package io.imagebuilder.manifest.internal.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.Manifests;
import io.imagebuilder.manifest.testing.Fixtures;
import io.imagebuilder.manifest.testing.RawDisks;
import io.imagebuilder.manifest.testing.RawDisks.Blank;
import io.imagebuilder.manifest.testing.RawDisks.Ext4;
import io.imagebuilder.manifest.testing.RawDisks.Fat;
import io.imagebuilder.manifest.testing.RawDisks.Part;
import io.imagebuilder.manifest.testing.Tarballs;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RawDiskManifestReaderTest {
  private static final String JSON = "{\"the\": \"manifest\"}\n";

  @TempDir Path temp;

  private final RawDiskManifestReader reader = new RawDiskManifestReader();

  @Test
  void readsTheManifestFromTheRootPartitionOfAGptDisk() throws Exception {
    Path disk =
        RawDisks.write(
            temp.resolve("pc.img"),
            "gpt",
            List.of(
                new Part(2048, "uefi", new Fat()),
                new Part(
                    4096,
                    "linux",
                    new Ext4(RawDisks.rootWithManifest(temp.resolve("root"), JSON)))));

    assertTrue(reader.canRead(disk, head(disk)));
    assertEquals(Optional.of(JSON), reader.read(disk));
  }

  @Test
  void readsTheManifestFromAnMbrDisk() throws Exception {
    Path disk =
        RawDisks.write(
            temp.resolve("pi.img"),
            "dos",
            List.of(
                new Part(2048, "c", new Fat()),
                new Part(
                    4096, "83", new Ext4(RawDisks.rootWithManifest(temp.resolve("root"), JSON)))));

    assertTrue(reader.canRead(disk, head(disk)));
    assertEquals(Optional.of(JSON), reader.read(disk));
  }

  @Test
  void looksInEveryExtPartitionUntilOneHoldsTheManifest() throws Exception {
    Files.createDirectories(temp.resolve("boot/grub"));
    Path disk =
        RawDisks.write(
            temp.resolve("disk.img"),
            "gpt",
            List.of(
                new Part(4096, "linux", new Ext4(temp.resolve("boot"))),
                new Part(
                    4096,
                    "linux",
                    new Ext4(RawDisks.rootWithManifest(temp.resolve("root"), JSON)))));

    assertEquals(2, RawDiskManifestReader.extPartitions(disk).size());
    assertEquals(Optional.of(JSON), reader.read(disk));
  }

  @Test
  void identifiesAnImageFromTheManifestOnItsRootPartition() throws Exception {
    Path rootfs = Fixtures.rootfs(temp.resolve("root"));
    Manifest embedded = Fixtures.manifest(rootfs, Fixtures.spec(), "x.img", "x").embeddedCopy();
    Path disk =
        RawDisks.write(
            temp.resolve("x.img"),
            "gpt",
            List.of(
                new Part(
                    4096,
                    "linux",
                    new Ext4(RawDisks.rootWithManifest(rootfs, embedded.toJson())))));

    assertEquals(embedded, Manifests.readEmbedded(disk).orElseThrow());
  }

  @Test
  void diskWithoutAnExtPartitionHasNoManifest() throws Exception {
    Path disk =
        RawDisks.write(
            temp.resolve("fat.img"),
            "gpt",
            List.of(new Part(2048, "uefi", new Fat()), new Part(2048, "linux", new Blank())));

    assertTrue(reader.canRead(disk, head(disk)));
    assertEquals(List.of(), RawDiskManifestReader.extPartitions(disk));
    assertEquals(Optional.empty(), reader.read(disk));
  }

  @Test
  void extPartitionWithoutTheFileHasNoManifest() throws Exception {
    Files.createDirectories(temp.resolve("root/usr/share"));
    Path disk =
        RawDisks.write(
            temp.resolve("plain.img"),
            "dos",
            List.of(new Part(4096, "83", new Ext4(temp.resolve("root")))));

    assertEquals(Optional.empty(), reader.read(disk));
  }

  @Test
  void aDirectoryAtTheManifestPathIsAnError() throws Exception {
    Files.createDirectories(temp.resolve("root/usr/share/imagebuilder/manifest.json"));
    Path disk =
        RawDisks.write(
            temp.resolve("odd.img"),
            "gpt",
            List.of(new Part(4096, "linux", new Ext4(temp.resolve("root")))));

    IOException e = assertThrows(IOException.class, () -> reader.read(disk));
    assertTrue(e.getMessage().contains("is not a regular file"), e.getMessage());
    assertTrue(e.getMessage().contains(disk.toString()), e.getMessage());
  }

  @Test
  void aQuestionMarkInTheFileNameDoesNotConfuseDebugfs() throws Exception {
    Path disk =
        RawDisks.write(
            temp.resolve("what?offset=0.img"),
            "gpt",
            List.of(
                new Part(
                    4096,
                    "linux",
                    new Ext4(RawDisks.rootWithManifest(temp.resolve("root"), JSON)))));

    assertEquals(Optional.of(JSON), reader.read(disk));
  }

  @Test
  void aTruncatedImageIsAnErrorNamingTheFile() throws Exception {
    Path disk =
        RawDisks.write(
            temp.resolve("cut.img"),
            "gpt",
            List.of(
                new Part(
                    4096,
                    "linux",
                    new Ext4(RawDisks.rootWithManifest(temp.resolve("root"), JSON)))));
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.setLength(2048 * 512 + 100 * 512); // in the middle of the partition
    }

    IOException e = assertThrows(IOException.class, () -> reader.read(disk));
    assertTrue(e.getMessage().contains(disk.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("past the end of the file"), e.getMessage());
  }

  @Test
  void aDamagedPartitionTableIsAnErrorNamingTheFile() throws Exception {
    Path disk =
        RawDisks.write(
            temp.resolve("bad.img"), "gpt", List.of(new Part(4096, "linux", new Blank())));
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.seek(2 * 512 + 32); // the first entry's first LBA
      f.write(0x7f);
    }

    IOException e = assertThrows(IOException.class, () -> reader.read(disk));
    assertEquals(
        "the partition table of "
            + disk
            + " is damaged: the CRC32 of the GPT partition entries does not match them",
        e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"rootfs.tar", "rootfs.tar.gz", "rootfs.tar.xz", "rootfs.tar.zst"})
  void leavesTarballsToTheTarballReader(String name) throws Exception {
    Path root = RawDisks.rootWithManifest(temp.resolve("root"), JSON);
    Path tarball = Tarballs.write(root, temp.resolve(name));

    assertFalse(reader.canRead(tarball, head(tarball)));
  }

  @Test
  void judgesByContentNotByName() throws Exception {
    Path zeros = Files.write(temp.resolve("disk.img"), new byte[1 << 16]);
    Path disk =
        RawDisks.write(
            temp.resolve("no-extension"), "dos", List.of(new Part(2048, "83", new Blank())));

    assertFalse(reader.canRead(zeros, head(zeros)));
    assertTrue(reader.canRead(disk, head(disk)));
  }

  @Test
  void withoutDebugfsTheErrorNamesThePackageToInstall() {
    IOException e =
        assertThrows(
            IOException.class, () -> Debugfs.find("reading x.img", tool -> Optional.empty()));

    assertEquals(
        "reading x.img needs the host tool 'debugfs', which is not installed (install it with: apt-get install e2fsprogs)",
        e.getMessage());
  }

  private static byte[] head(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(EmbeddedReaders.HEAD_BYTES);
    }
  }
}
