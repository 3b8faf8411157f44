package io.imagebuilder.internal.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer and the reader share one format: what one writes, the other reads back as written. */
class PartitionTableRoundTripTest {
  private static final long MIB = 1 << 20;
  private static final String ESP = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
  private static final String LINUX = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

  @TempDir Path dir;

  @Test
  void aGptWrittenIsReadBackWithItsOffsetsSizesAndTypes() throws Exception {
    Path disk = blank(16 * MIB);
    List<PartitionTableWriter.Entry> entries =
        List.of(
            new PartitionTableWriter.Entry(1, 2048, 4096, ESP, 0xef, UUID.randomUUID(), "ESP"),
            new PartitionTableWriter.Entry(2, 6144, 20480, LINUX, 0x83, UUID.randomUUID(), "root"));
    write(disk, new PartitionTableWriter.Table("gpt", 16 * MIB, UUID.randomUUID(), 0, entries));

    byte[] head = new byte[4096];
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "r")) {
      f.readFully(head);
    }
    assertTrue(PartitionTableReader.looksPartitioned(head));
    assertEquals(
        List.of(
            new PartitionTableReader.Partition(1, 2048L * 512, 4096L * 512, ESP),
            new PartitionTableReader.Partition(2, 6144L * 512, 20480L * 512, LINUX)),
        PartitionTableReader.read(disk));
  }

  @Test
  void anMbrWrittenIsReadBackWithItsTypeBytes() throws Exception {
    Path disk = blank(16 * MIB);
    List<PartitionTableWriter.Entry> entries =
        List.of(
            new PartitionTableWriter.Entry(1, 2048, 4096, ESP, 0x0c, UUID.randomUUID(), "firmware"),
            new PartitionTableWriter.Entry(2, 6144, 20480, LINUX, 0x83, UUID.randomUUID(), "root"));
    write(
        disk,
        new PartitionTableWriter.Table("mbr", 16 * MIB, UUID.randomUUID(), 0x1234abcd, entries));

    assertEquals(
        List.of(
            new PartitionTableReader.Partition(1, 2048L * 512, 4096L * 512, "0c"),
            new PartitionTableReader.Partition(2, 6144L * 512, 20480L * 512, "83")),
        PartitionTableReader.read(disk));
  }

  private Path blank(long size) throws Exception {
    Path disk = dir.resolve("disk.img");
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.setLength(size);
    }
    return disk;
  }

  private static void write(Path disk, PartitionTableWriter.Table table) throws Exception {
    try (FileChannel ch =
        FileChannel.open(disk, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      PartitionTableWriter.write(table, ch);
    }
    assertEquals(16 * MIB, Files.size(disk));
  }
}
