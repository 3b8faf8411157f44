package io.imagebuilder.arm.internal.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.board.Board.Partition;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.internal.disk.PartitionTableWriter;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.process.HostTools;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tables are read back with sfdisk, which checks the GPT headers' and entries' CRC32s. */
class PartitionTableWriterTest {
  private static final DiskIdentity IDS = new DiskIdentity("0123abcd");
  private static final List<Partition> PC =
      List.of(
          new Partition("bios", "none", "1MiB", "BIOS", null, null),
          new Partition("esp", "vfat", "auto", "ESP", "/boot/efi", null),
          new Partition("root", "ext4", "auto", "root", "/", null));
  private static final List<Partition> PI =
      List.of(
          new Partition("firmware", "vfat", "auto", "RASPIFIRM", "/boot/firmware", null),
          new Partition("root", "ext4", "auto", "RASPIROOT", "/", null));

  /**
   * sha256 of the sparse images the writer made before it took its offsets from
   * PartitionTableFormat.
   */
  private static final String GOLDEN_GPT =
      "0d27f1008559537f187e09b2d43d3100029aaeb182d973623077c4f4d1738213";

  private static final String GOLDEN_MBR =
      "dea90ceef0c75dc7aba8187938165030b4069f3bffcb1fb1c7e82a37b417a65b";

  @TempDir Path dir;

  @Test
  void aGptReadsBackWithSfdiskWithItsGuidsTypesAndNames() throws Exception {
    DiskLayout layout =
        DiskLayout.plan(
            "gpt",
            Architecture.AMD64,
            PC,
            List.of(ByteSize.MIB, 64 * ByteSize.MIB, 300 * ByteSize.MIB),
            IDS);
    JsonNode t = writeAndRead(layout);
    assertEquals("gpt", t.get("label").asText());
    assertEquals(layout.diskGuid().toString().toUpperCase(), t.get("id").asText());
    assertEquals(34, t.get("firstlba").asLong());
    JsonNode p = t.get("partitions");
    assertEquals(3, p.size());
    assertEquals(2048, p.get(0).get("start").asLong());
    assertEquals(2048, p.get(0).get("size").asLong());
    assertEquals("21686148-6449-6E6F-744E-656564454649", p.get(0).get("type").asText());
    assertEquals("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", p.get(1).get("type").asText());
    assertEquals(4096, p.get(1).get("start").asLong());
    assertEquals("4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709", p.get(2).get("type").asText());
    assertEquals(IDS.partitionGuid("root").toString().toUpperCase(), p.get(2).get("uuid").asText());
    assertEquals("root", p.get(2).get("name").asText());
    assertEquals((1 + 1 + 64) * 2048, p.get(2).get("start").asLong());
    assertEquals(300 * 2048, p.get(2).get("size").asLong());
    assertEquals((1 + 1 + 64 + 300 + 1) * ByteSize.MIB, layout.totalBytes());
    String verify = sfdisk("--verify", layout);
    assertTrue(verify.contains("No errors detected"), verify);
  }

  @Test
  void anMbrReadsBackWithSfdiskWithItsSignatureAndTypes() throws Exception {
    DiskLayout layout =
        DiskLayout.plan(
            "mbr", Architecture.ARM64, PI, List.of(100 * ByteSize.MIB, 500 * ByteSize.MIB), IDS);
    JsonNode t = writeAndRead(layout);
    assertEquals("dos", t.get("label").asText());
    assertEquals(String.format("0x%08x", IDS.mbrSignature()), t.get("id").asText());
    JsonNode p = t.get("partitions");
    assertEquals("c", p.get(0).get("type").asText());
    assertEquals(2048, p.get(0).get("start").asLong());
    assertEquals(100 * 2048, p.get(0).get("size").asLong());
    assertEquals("83", p.get(1).get("type").asText());
    assertEquals(
        String.format("%08x-02", IDS.mbrSignature()), layout.partitions().get(1).partuuid());
    assertEquals((1 + 100 + 500) * ByteSize.MIB, layout.totalBytes());
  }

  @Test
  void theGrubBiosPointersAreSetAndThePartitionTableKept() throws Exception {
    DiskLayout layout =
        DiskLayout.plan(
            "gpt",
            Architecture.AMD64,
            PC,
            List.of(ByteSize.MIB, 64 * ByteSize.MIB, 100 * ByteSize.MIB),
            IDS);
    Path disk = dir.resolve("disk.img");
    byte[] boot = new byte[512];
    boot[0] = (byte) 0xeb;
    boot[510] = 0x55;
    boot[511] = (byte) 0xaa;
    byte[] core = new byte[3 * 512 - 100];
    core[0] = 0x52;
    try (FileChannel ch =
        FileChannel.open(
            disk, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(1), layout.totalBytes() - 1);
      PartitionTableWriter.write(layout.partitionTable(), ch);
      GrubBiosBootCode.install(ch, layout.byRole("bios"), boot, core);
      ByteBuffer mbr = ByteBuffer.allocate(512).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      ch.read(mbr, 0);
      assertEquals((byte) 0xeb, mbr.get(0));
      assertEquals(2048, mbr.getLong(0x5c));
      assertEquals((byte) 0x90, mbr.get(0x66));
      assertEquals((byte) 0xee, mbr.get(446 + 4), "the protective MBR entry is kept");
      ByteBuffer first = ByteBuffer.allocate(512).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      ch.read(first, 2048L * 512);
      assertEquals(0x52, first.get(0));
      assertEquals(2049, first.getLong(500));
      assertEquals(2, first.getShort(508));
    }
    String verify = sfdisk("--verify", layout, disk);
    assertTrue(verify.contains("No errors detected"), verify);
  }

  @Test
  void theTablesAreTheSameBytesAsBeforeTheirOffsetsWereShared() throws Exception {
    DiskLayout gpt =
        DiskLayout.plan(
            "gpt",
            Architecture.AMD64,
            PC,
            List.of(ByteSize.MIB, 64 * ByteSize.MIB, 300 * ByteSize.MIB),
            IDS);
    DiskLayout mbr =
        DiskLayout.plan(
            "mbr", Architecture.ARM64, PI, List.of(100 * ByteSize.MIB, 500 * ByteSize.MIB), IDS);
    assertEquals(GOLDEN_GPT, Sha256.ofFile(write(gpt)));
    assertEquals(GOLDEN_MBR, Sha256.ofFile(write(mbr)));
  }

  private Path write(DiskLayout layout) throws Exception {
    Path disk = dir.resolve("disk.img");
    try (FileChannel ch =
        FileChannel.open(
            disk, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(1), layout.totalBytes() - 1);
      PartitionTableWriter.write(layout.partitionTable(), ch);
    }
    return disk;
  }

  private JsonNode writeAndRead(DiskLayout layout) throws Exception {
    write(layout);
    return new ObjectMapper().readTree(sfdisk("--json", layout)).get("partitiontable");
  }

  private String sfdisk(String option, DiskLayout layout) throws Exception {
    return sfdisk(option, layout, dir.resolve("disk.img"));
  }

  private static String sfdisk(String option, DiskLayout layout, Path disk) throws Exception {
    // By absolute path: /usr/sbin is not on an ordinary user's PATH.
    String sfdisk = HostTools.require("sfdisk", "fdisk");
    Process p =
        new ProcessBuilder(sfdisk, option, disk.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }
}
