package io.imagebuilder.internal.disk;

import static io.imagebuilder.internal.disk.PartitionTableFormat.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Writes a partition table into an image file: an MBR, or a GPT with its protective MBR, primary
 * header and entries at the start and the backup entries and header at the end, with their CRC32s.
 * Only the table's sectors are written; boot code in the first 440 bytes is left as it is. Offsets
 * and signatures are {@link PartitionTableFormat}'s, which {@link PartitionTableReader} shares.
 */
public final class PartitionTableWriter {
  /**
   * A table to write.
   *
   * @param type {@code gpt} or {@code mbr}
   * @param totalBytes the image's length; a GPT's backup copy ends there
   * @param diskGuid the GPT disk GUID
   * @param mbrSignature the MBR disk signature
   * @param entries in disk order, numbered from 1 (at most 4 for an MBR)
   */
  public record Table(
      String type, long totalBytes, UUID diskGuid, int mbrSignature, List<Entry> entries) {
    public Table {
      entries = List.copyOf(entries);
    }
  }

  /**
   * One partition's entry.
   *
   * @param number from 1
   * @param firstLba its first sector
   * @param sectors its length in sectors
   * @param gptType the GPT type GUID
   * @param mbrType the MBR type byte
   * @param guid the GPT unique partition GUID
   * @param name the GPT entry's name (UTF-16, cut at 35 characters)
   */
  public record Entry(
      int number,
      long firstLba,
      long sectors,
      String gptType,
      int mbrType,
      UUID guid,
      String name) {}

  /** The entry count every partitioning tool writes. */
  private static final int GPT_ENTRIES = 128;

  private static final int GPT_ENTRY_SECTORS = GPT_ENTRIES * GPT_ENTRY_SIZE / SECTOR;

  /** Bytes of an entry's UTF-16 name written at most. */
  private static final int GPT_NAME_BYTES = 70;

  private PartitionTableWriter() {}

  public static void write(Table layout, FileChannel disk) throws IOException {
    if (layout.type().equals("gpt")) {
      writeGpt(layout, disk);
    } else {
      writeMbr(layout, disk);
    }
  }

  private static void writeMbr(Table layout, FileChannel disk) throws IOException {
    ByteBuffer mbr = readSector(disk, 0);
    mbr.putInt(MBR_DISK_SIGNATURE, layout.mbrSignature());
    mbr.putShort(MBR_RESERVED, (short) 0);
    for (int i = 0; i < MBR_ENTRY_COUNT; i++) {
      int at = MBR_ENTRIES + i * MBR_ENTRY_SIZE;
      if (i < layout.entries().size()) {
        Entry p = layout.entries().get(i);
        mbrEntry(mbr, at, MBR_STATUS_INACTIVE, p.mbrType(), p.firstLba(), p.sectors());
      } else {
        for (int b = 0; b < MBR_ENTRY_SIZE; b++) {
          mbr.put(at + b, (byte) 0);
        }
      }
    }
    putBootSignature(mbr);
    disk.write(mbr.rewind(), 0);
  }

  private static void writeGpt(Table layout, FileChannel disk) throws IOException {
    long lastLba = layout.totalBytes() / SECTOR - 1;
    ByteBuffer mbr = readSector(disk, 0);
    for (int b = MBR_ENTRIES; b < MBR_BOOT_SIGNATURE; b++) {
      mbr.put(b, (byte) 0);
    }
    mbr.putInt(MBR_DISK_SIGNATURE, 0);
    mbr.putShort(MBR_RESERVED, (short) 0);
    mbrEntry(
        mbr,
        MBR_ENTRIES,
        MBR_STATUS_INACTIVE,
        MBR_TYPE_GPT_PROTECTIVE,
        1,
        Math.min(lastLba, 0xffffffffL));
    putBootSignature(mbr);
    disk.write(mbr.rewind(), 0);

    ByteBuffer entries =
        ByteBuffer.allocate(GPT_ENTRIES * GPT_ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    for (Entry p : layout.entries()) {
      int at = (p.number() - 1) * GPT_ENTRY_SIZE;
      putGuid(entries, at + GPT_ENTRY_TYPE, UUID.fromString(p.gptType()));
      putGuid(entries, at + GPT_ENTRY_GUID, p.guid());
      entries.putLong(at + GPT_ENTRY_FIRST_LBA, p.firstLba());
      entries.putLong(at + GPT_ENTRY_LAST_LBA, p.firstLba() + p.sectors() - 1);
      entries.putLong(at + GPT_ENTRY_ATTRIBUTES, 0L);
      byte[] utf16 = p.name().getBytes(StandardCharsets.UTF_16LE);
      entries.put(at + GPT_ENTRY_NAME, utf16, 0, Math.min(utf16.length, GPT_NAME_BYTES));
    }
    CRC32 crc = new CRC32();
    crc.update(entries.array());
    int entriesCrc = (int) crc.getValue();

    long firstUsable = 2 + GPT_ENTRY_SECTORS;
    long lastUsable = lastLba - GPT_ENTRY_SECTORS - 1;
    long backupEntries = lastLba - GPT_ENTRY_SECTORS;
    disk.write(entries.rewind(), 2L * SECTOR);
    disk.write(entries.rewind(), backupEntries * SECTOR);
    disk.write(gptHeader(layout, 1, lastLba, firstUsable, lastUsable, 2, entriesCrc), SECTOR);
    disk.write(
        gptHeader(layout, lastLba, 1, firstUsable, lastUsable, backupEntries, entriesCrc),
        lastLba * SECTOR);
  }

  private static ByteBuffer gptHeader(
      Table layout,
      long current,
      long backup,
      long firstUsable,
      long lastUsable,
      long entriesLba,
      int entriesCrc) {
    ByteBuffer h = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
    putGptSignature(h, 0);
    h.putInt(GPT_REVISION, GPT_REVISION_1_0);
    h.putInt(GPT_HEADER_SIZE, GPT_HEADER_LENGTH);
    h.putInt(GPT_HEADER_CRC, 0);
    h.putLong(GPT_CURRENT_LBA, current);
    h.putLong(GPT_BACKUP_LBA, backup);
    h.putLong(GPT_FIRST_USABLE_LBA, firstUsable);
    h.putLong(GPT_LAST_USABLE_LBA, lastUsable);
    putGuid(h, GPT_DISK_GUID, layout.diskGuid());
    h.putLong(GPT_ENTRIES_LBA, entriesLba);
    h.putInt(GPT_ENTRY_COUNT, GPT_ENTRIES);
    h.putInt(GPT_ENTRY_SIZE_FIELD, GPT_ENTRY_SIZE);
    h.putInt(GPT_ENTRIES_CRC, entriesCrc);
    CRC32 crc = new CRC32();
    crc.update(h.array(), 0, GPT_HEADER_LENGTH);
    h.putInt(GPT_HEADER_CRC, (int) crc.getValue());
    return h.rewind();
  }

  private static void mbrEntry(
      ByteBuffer mbr, int at, int status, int type, long firstLba, long sectors) {
    mbr.put(at + MBR_ENTRY_STATUS, (byte) status);
    putChs(mbr, at + MBR_ENTRY_FIRST_CHS, firstLba);
    mbr.put(at + MBR_ENTRY_TYPE, (byte) type);
    putChs(mbr, at + MBR_ENTRY_LAST_CHS, firstLba + sectors - 1);
    mbr.order(ByteOrder.LITTLE_ENDIAN);
    mbr.putInt(at + MBR_ENTRY_FIRST_LBA, (int) firstLba);
    mbr.putInt(at + MBR_ENTRY_SECTORS, (int) sectors);
  }

  /** CHS for 255 heads and 63 sectors per track, capped at 1023/254/63 as other tools do. */
  private static void putChs(ByteBuffer b, int at, long lba) {
    long c = lba / (255 * 63);
    long h = (lba / 63) % 255;
    long s = lba % 63 + 1;
    if (c > 1023) {
      c = 1023;
      h = 254;
      s = 63;
    }
    b.put(at, (byte) h);
    b.put(at + 1, (byte) ((s & 0x3f) | ((c >> 2) & 0xc0)));
    b.put(at + 2, (byte) (c & 0xff));
  }

  private static ByteBuffer readSector(FileChannel disk, long lba) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
    disk.read(b, lba * SECTOR);
    return b.clear();
  }
}
