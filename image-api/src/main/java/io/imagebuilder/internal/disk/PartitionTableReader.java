package io.imagebuilder.internal.disk;

import static io.imagebuilder.internal.disk.PartitionTableFormat.*;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The partition table of a raw disk image with 512-byte sectors, read in Java: a GPT (protective
 * MBR, header at LBA 1 with its CRC32, entries with theirs) or an MBR's four primary entries.
 * Extended and logical MBR partitions are not followed; a GPT's backup copy is not consulted. A
 * table that is damaged, or a partition that ends past the end of the file, is an {@link
 * IOException} naming the file. Offsets and signatures are {@link PartitionTableFormat}'s, which
 * {@link PartitionTableWriter} shares.
 */
public final class PartitionTableReader {
  /** "EFI PART". */
  private static final int SIGNATURE_BYTES = 8;

  private static final int MAX_GPT_ENTRIES = 4096;

  /**
   * One partition.
   *
   * @param number its number in the table, from 1
   * @param offset first byte within the image
   * @param size length in bytes
   * @param type the GPT type GUID (upper case) or the MBR type byte as two hex digits
   */
  public record Partition(int number, long offset, long size, String type) {}

  private PartitionTableReader() {}

  /**
   * Whether {@code head} starts like a partitioned disk: GPT header at LBA 1, or a plausible MBR.
   */
  public static boolean looksPartitioned(byte[] head) {
    if (head.length >= 2 * SECTOR && isGptSignature(head, SECTOR)) {
      return true;
    }
    if (!hasBootSignature(head)) {
      return false;
    }
    boolean any = false;
    for (int i = 0; i < MBR_ENTRY_COUNT; i++) {
      int entry = MBR_ENTRIES + MBR_ENTRY_SIZE * i;
      int status = head[entry + MBR_ENTRY_STATUS] & 0xff;
      if (status != MBR_STATUS_INACTIVE && status != MBR_STATUS_ACTIVE) {
        return false; // boot code or a filesystem's boot sector, not a partition entry
      }
      any |= (head[entry + MBR_ENTRY_TYPE] & 0xff) != 0;
    }
    return any;
  }

  /** The partitions of the disk image {@code file}, in table order. */
  public static List<Partition> read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      ByteBuffer mbr = readAt(channel, file, 0, SECTOR, "the master boot record");
      if (!hasBootSignature(mbr.array())) {
        throw damaged(file, "no boot signature 0x55AA at byte 510 of the master boot record");
      }
      List<Partition> partitions;
      if (size >= 2 * SECTOR
          && isGptSignature(
              readAt(channel, file, SECTOR, SIGNATURE_BYTES, "the GPT header").array(), 0)) {
        partitions = readGpt(channel, file);
      } else {
        partitions = readMbr(mbr, file);
      }
      for (Partition p : partitions) {
        if (p.offset() + p.size() > size) {
          throw damaged(
              file,
              "partition "
                  + p.number()
                  + " ends at byte "
                  + (p.offset() + p.size())
                  + ", past the end of the file at "
                  + size
                  + " (truncated image?)");
        }
      }
      return partitions;
    }
  }

  private static List<Partition> readMbr(ByteBuffer mbr, Path file) throws IOException {
    mbr.order(ByteOrder.LITTLE_ENDIAN);
    List<Partition> partitions = new ArrayList<>();
    for (int i = 0; i < MBR_ENTRY_COUNT; i++) {
      int entry = MBR_ENTRIES + MBR_ENTRY_SIZE * i;
      int status = mbr.get(entry + MBR_ENTRY_STATUS) & 0xff;
      int type = mbr.get(entry + MBR_ENTRY_TYPE) & 0xff;
      if (status != MBR_STATUS_INACTIVE && status != MBR_STATUS_ACTIVE) {
        throw damaged(
            file,
            String.format(
                "MBR entry %d has status byte 0x%02x (expected 0x00 or 0x80)", i + 1, status));
      }
      if (type == 0) {
        continue;
      }
      if (type == MBR_TYPE_GPT_PROTECTIVE) {
        throw damaged(
            file,
            "the MBR is GPT's protective MBR but there is no GPT header ('EFI PART') at LBA 1");
      }
      long start = Integer.toUnsignedLong(mbr.getInt(entry + MBR_ENTRY_FIRST_LBA));
      long sectors = Integer.toUnsignedLong(mbr.getInt(entry + MBR_ENTRY_SECTORS));
      if (start == 0 || sectors == 0) {
        throw damaged(
            file,
            "MBR entry "
                + (i + 1)
                + " of type "
                + hex(type)
                + " starts at sector "
                + start
                + " with "
                + sectors
                + " sectors (expected a non-empty partition after sector 0)");
      }
      partitions.add(new Partition(i + 1, start * SECTOR, sectors * SECTOR, hex(type)));
    }
    return partitions;
  }

  private static List<Partition> readGpt(FileChannel channel, Path file) throws IOException {
    ByteBuffer header =
        readAt(channel, file, SECTOR, SECTOR, "the GPT header").order(ByteOrder.LITTLE_ENDIAN);
    int headerSize = header.getInt(GPT_HEADER_SIZE);
    if (headerSize < GPT_HEADER_LENGTH || headerSize > SECTOR) {
      throw damaged(file, "GPT header size " + headerSize + " (expected 92 to 512 bytes)");
    }
    byte[] forCrc = Arrays.copyOf(header.array(), headerSize);
    Arrays.fill(forCrc, GPT_HEADER_CRC, GPT_HEADER_CRC + 4, (byte) 0);
    if (crc32(forCrc) != Integer.toUnsignedLong(header.getInt(GPT_HEADER_CRC))) {
      throw damaged(file, "the GPT header's CRC32 does not match its content");
    }
    long entriesLba = header.getLong(GPT_ENTRIES_LBA);
    int count = header.getInt(GPT_ENTRY_COUNT);
    int entrySize = header.getInt(GPT_ENTRY_SIZE_FIELD);
    if (count < 0
        || count > MAX_GPT_ENTRIES
        || entrySize < GPT_ENTRY_SIZE
        || entrySize % 8 != 0
        || entrySize > 4096) {
      throw damaged(
          file,
          "GPT header lists "
              + count
              + " entries of "
              + entrySize
              + " bytes (expected up to "
              + MAX_GPT_ENTRIES
              + " entries of 128 bytes or a larger multiple of 8)");
    }
    if (entriesLba < 2) {
      throw damaged(file, "GPT entries at LBA " + entriesLba + " (expected 2 or later)");
    }
    ByteBuffer entries =
        readAt(channel, file, entriesLba * SECTOR, count * entrySize, "the GPT partition entries")
            .order(ByteOrder.LITTLE_ENDIAN);
    if (crc32(entries.array()) != Integer.toUnsignedLong(header.getInt(GPT_ENTRIES_CRC))) {
      throw damaged(file, "the CRC32 of the GPT partition entries does not match them");
    }
    List<Partition> partitions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int at = i * entrySize;
      byte[] type =
          Arrays.copyOfRange(entries.array(), at + GPT_ENTRY_TYPE, at + GPT_ENTRY_TYPE + 16);
      if (allZero(type)) {
        continue;
      }
      long first = entries.getLong(at + GPT_ENTRY_FIRST_LBA);
      long last = entries.getLong(at + GPT_ENTRY_LAST_LBA);
      if (first < 1 || last < first) {
        throw damaged(
            file,
            "GPT partition "
                + (i + 1)
                + " runs from LBA "
                + first
                + " to "
                + last
                + " (expected a first LBA of 1 or more, not after the last)");
      }
      partitions.add(
          new Partition(i + 1, first * SECTOR, (last - first + 1) * SECTOR, guid(type, 0)));
    }
    return partitions;
  }

  private static ByteBuffer readAt(
      FileChannel channel, Path file, long position, int length, String what) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        throw new EOFException(
            "cannot read the partition table of "
                + file
                + ": the file ends at byte "
                + channel.size()
                + ", before the end of "
                + what
                + " at byte "
                + (position + length)
                + " (truncated image?)");
      }
    }
    return buffer.flip();
  }

  private static long crc32(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  private static boolean allZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String hex(int type) {
    return String.format("%02x", type);
  }

  private static IOException damaged(Path file, String detail) {
    return new IOException("the partition table of " + file + " is damaged: " + detail);
  }
}
