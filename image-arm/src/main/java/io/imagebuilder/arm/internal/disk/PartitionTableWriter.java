package io.imagebuilder.arm.internal.disk;

import io.imagebuilder.arm.internal.disk.DiskLayout.Placed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Writes a {@link DiskLayout}'s partition table into an image file: an MBR, or a GPT with its
 * protective MBR, primary header and entries at the start and the backup entries and header at
 * the end, with their CRC32s. Only the table's sectors are written; boot code in the first 440
 * bytes is left as it is.
 */
public final class PartitionTableWriter {
  private static final int GPT_ENTRIES = 128;
  private static final int GPT_ENTRY_SIZE = 128;
  private static final int GPT_ENTRY_SECTORS = GPT_ENTRIES * GPT_ENTRY_SIZE / DiskLayout.SECTOR;

  private PartitionTableWriter() {}

  public static void write(DiskLayout layout, FileChannel disk) throws IOException {
    if (layout.table().equals("gpt")) {
      writeGpt(layout, disk);
    } else {
      writeMbr(layout, disk);
    }
  }

  private static void writeMbr(DiskLayout layout, FileChannel disk) throws IOException {
    ByteBuffer mbr = readSector(disk, 0);
    mbr.putInt(440, layout.mbrSignature());
    mbr.putShort(444, (short) 0);
    for (int i = 0; i < 4; i++) {
      int at = 446 + i * 16;
      if (i < layout.partitions().size()) {
        Placed p = layout.partitions().get(i);
        mbrEntry(mbr, at, 0x00, p.mbrType(), p.firstLba(), p.sectors());
      } else {
        for (int b = 0; b < 16; b++) {
          mbr.put(at + b, (byte) 0);
        }
      }
    }
    mbr.put(510, (byte) 0x55).put(511, (byte) 0xaa);
    disk.write(mbr.rewind(), 0);
  }

  private static void writeGpt(DiskLayout layout, FileChannel disk) throws IOException {
    long lastLba = layout.totalBytes() / DiskLayout.SECTOR - 1;
    ByteBuffer mbr = readSector(disk, 0);
    for (int b = 446; b < 510; b++) {
      mbr.put(b, (byte) 0);
    }
    mbr.putInt(440, 0);
    mbr.putShort(444, (short) 0);
    mbrEntry(mbr, 446, 0x00, 0xee, 1, Math.min(lastLba, 0xffffffffL));
    mbr.put(510, (byte) 0x55).put(511, (byte) 0xaa);
    disk.write(mbr.rewind(), 0);

    ByteBuffer entries = ByteBuffer.allocate(GPT_ENTRIES * GPT_ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    for (Placed p : layout.partitions()) {
      int at = (p.number() - 1) * GPT_ENTRY_SIZE;
      putGuid(entries, at, UUID.fromString(p.gptType()));
      putGuid(entries, at + 16, p.guid());
      entries.putLong(at + 32, p.firstLba());
      entries.putLong(at + 40, p.firstLba() + p.sectors() - 1);
      entries.putLong(at + 48, 0L);
      String name = p.spec().label() == null ? p.spec().role() : p.spec().label();
      byte[] utf16 = name.getBytes(StandardCharsets.UTF_16LE);
      entries.put(at + 56, utf16, 0, Math.min(utf16.length, 70));
    }
    CRC32 crc = new CRC32();
    crc.update(entries.array());
    int entriesCrc = (int) crc.getValue();

    long firstUsable = 2 + GPT_ENTRY_SECTORS;
    long lastUsable = lastLba - GPT_ENTRY_SECTORS - 1;
    long backupEntries = lastLba - GPT_ENTRY_SECTORS;
    disk.write(entries.rewind(), 2L * DiskLayout.SECTOR);
    disk.write(entries.rewind(), backupEntries * DiskLayout.SECTOR);
    disk.write(gptHeader(layout, 1, lastLba, firstUsable, lastUsable, 2, entriesCrc), DiskLayout.SECTOR);
    disk.write(gptHeader(layout, lastLba, 1, firstUsable, lastUsable, backupEntries, entriesCrc),
        lastLba * DiskLayout.SECTOR);
  }

  private static ByteBuffer gptHeader(
      DiskLayout layout, long current, long backup, long firstUsable, long lastUsable,
      long entriesLba, int entriesCrc) {
    ByteBuffer h = ByteBuffer.allocate(DiskLayout.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
    h.put(0, "EFI PART".getBytes(StandardCharsets.US_ASCII));
    h.putInt(8, 0x00010000);
    h.putInt(12, 92);
    h.putInt(16, 0);
    h.putLong(24, current);
    h.putLong(32, backup);
    h.putLong(40, firstUsable);
    h.putLong(48, lastUsable);
    putGuid(h, 56, layout.diskGuid());
    h.putLong(72, entriesLba);
    h.putInt(80, GPT_ENTRIES);
    h.putInt(84, GPT_ENTRY_SIZE);
    h.putInt(88, entriesCrc);
    CRC32 crc = new CRC32();
    crc.update(h.array(), 0, 92);
    h.putInt(16, (int) crc.getValue());
    return h.rewind();
  }

  /** A GUID as GPT stores it: the first three fields little-endian, the rest as written. */
  static void putGuid(ByteBuffer b, int at, UUID guid) {
    long msb = guid.getMostSignificantBits();
    long lsb = guid.getLeastSignificantBits();
    int timeLow = (int) (msb >>> 32);
    short timeMid = (short) (msb >>> 16);
    short timeHi = (short) msb;
    ByteBuffer le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    le.putInt(timeLow).putShort(timeMid).putShort(timeHi);
    b.put(at, le.array());
    ByteBuffer be = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(lsb);
    b.put(at + 8, be.array());
  }

  private static void mbrEntry(ByteBuffer mbr, int at, int status, int type, long firstLba, long sectors) {
    mbr.put(at, (byte) status);
    putChs(mbr, at + 1, firstLba);
    mbr.put(at + 4, (byte) type);
    putChs(mbr, at + 5, firstLba + sectors - 1);
    mbr.order(ByteOrder.LITTLE_ENDIAN);
    mbr.putInt(at + 8, (int) firstLba);
    mbr.putInt(at + 12, (int) sectors);
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
    ByteBuffer b = ByteBuffer.allocate(DiskLayout.SECTOR).order(ByteOrder.LITTLE_ENDIAN);
    disk.read(b, lba * DiskLayout.SECTOR);
    return b.clear();
  }
}
