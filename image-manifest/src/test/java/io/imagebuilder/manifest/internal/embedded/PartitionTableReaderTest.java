package io.imagebuilder.manifest.internal.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.internal.disk.PartitionTableReader;
import io.imagebuilder.manifest.testing.RawDisks;
import io.imagebuilder.manifest.testing.RawDisks.Blank;
import io.imagebuilder.manifest.testing.RawDisks.Part;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionTableReaderTest {
  @TempDir Path temp;

  @Test
  void readsTheGptEntriesWithTheirOffsetsSizesAndTypes() throws Exception {
    Path disk =
        RawDisks.write(
            temp.resolve("gpt.img"),
            "gpt",
            List.of(new Part(2048, "uefi", new Blank()), new Part(4096, "linux", new Blank())));

    assertEquals(
        List.of(
            new PartitionTableReader.Partition(
                1, 2048L * 512, 2048L * 512, "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"),
            new PartitionTableReader.Partition(
                2, 4096L * 512, 4096L * 512, "0FC63DAF-8483-4772-8E79-3D69D8477DE4")),
        PartitionTableReader.read(disk));
  }

  @Test
  void readsTheFourPrimaryMbrEntries() throws Exception {
    Path disk =
        RawDisks.write(
            temp.resolve("mbr.img"),
            "dos",
            List.of(new Part(2048, "c", new Blank()), new Part(4096, "83", new Blank())));

    assertEquals(
        List.of(
            new PartitionTableReader.Partition(1, 2048L * 512, 2048L * 512, "0c"),
            new PartitionTableReader.Partition(2, 4096L * 512, 4096L * 512, "83")),
        PartitionTableReader.read(disk));
  }

  @Test
  void aFileThatEndsInsideTheTableIsAnErrorNamingIt() throws Exception {
    Path disk =
        RawDisks.write(
            temp.resolve("short.img"), "gpt", List.of(new Part(2048, "linux", new Blank())));
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.setLength(1024 + 512); // MBR, GPT header, a quarter of the entries
    }

    IOException e = assertThrows(IOException.class, () -> PartitionTableReader.read(disk));
    assertTrue(
        e.getMessage()
            .startsWith(
                "cannot read the partition table of " + disk + ": the file ends at byte 1536"),
        e.getMessage());
  }

  @Test
  void aDamagedGptHeaderIsAnError() throws Exception {
    Path disk =
        RawDisks.write(
            temp.resolve("hdr.img"), "gpt", List.of(new Part(2048, "linux", new Blank())));
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.seek(512 + 80); // number of entries
      f.write(3);
    }

    IOException e = assertThrows(IOException.class, () -> PartitionTableReader.read(disk));
    assertEquals(
        "the partition table of "
            + disk
            + " is damaged: the GPT header's CRC32 does not match its content",
        e.getMessage());
  }

  @Test
  void aProtectiveMbrWithoutGptIsAnError() throws Exception {
    Path disk =
        RawDisks.write(
            temp.resolve("half.img"), "gpt", List.of(new Part(2048, "linux", new Blank())));
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.seek(512);
      f.write(new byte[512]);
    }

    IOException e = assertThrows(IOException.class, () -> PartitionTableReader.read(disk));
    assertTrue(
        e.getMessage().contains("protective MBR but there is no GPT header"), e.getMessage());
  }

  @Test
  void anMbrEntryWithABadStatusByteIsAnError() throws Exception {
    Path disk =
        RawDisks.write(temp.resolve("st.img"), "dos", List.of(new Part(2048, "83", new Blank())));
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.seek(446);
      f.write(0x42);
    }

    IOException e = assertThrows(IOException.class, () -> PartitionTableReader.read(disk));
    assertEquals(
        "the partition table of "
            + disk
            + " is damaged: MBR entry 1 has status byte 0x42 (expected 0x00 or 0x80)",
        e.getMessage());
  }

  @Test
  void withoutTheBootSignatureThereIsNoTable() throws Exception {
    Path zeros = Files.write(temp.resolve("zeros.img"), new byte[4096]);

    IOException e = assertThrows(IOException.class, () -> PartitionTableReader.read(zeros));
    assertTrue(e.getMessage().contains("no boot signature 0x55AA"), e.getMessage());
  }
}
