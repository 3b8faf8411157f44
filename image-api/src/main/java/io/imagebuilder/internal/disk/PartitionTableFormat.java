package io.imagebuilder.internal.disk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * The on-disk format of MBR and GPT partition tables with 512-byte sectors: offsets, sizes,
 * signatures and the byte order of a GPT GUID. One definition for the writer (image-arm's disk
 * assembly) and the reader (image-manifest's embedded manifest lookup), so the two cannot drift.
 * All multi-byte numbers are little-endian.
 */
public final class PartitionTableFormat {
  public static final int SECTOR = 512;

  /** MBR: the 32-bit disk signature, then two reserved bytes. */
  public static final int MBR_DISK_SIGNATURE = 440;

  public static final int MBR_RESERVED = 444;

  /** MBR: four primary entries of 16 bytes from here. */
  public static final int MBR_ENTRIES = 446;

  public static final int MBR_ENTRY_COUNT = 4;
  public static final int MBR_ENTRY_SIZE = 16;

  /** MBR: the boot signature {@code 0x55 0xAA}. */
  public static final int MBR_BOOT_SIGNATURE = 510;

  /**
   * Within an MBR entry: status byte, CHS of the first sector, type, CHS of the last, LBA, count.
   */
  public static final int MBR_ENTRY_STATUS = 0;

  public static final int MBR_ENTRY_FIRST_CHS = 1;
  public static final int MBR_ENTRY_TYPE = 4;
  public static final int MBR_ENTRY_LAST_CHS = 5;
  public static final int MBR_ENTRY_FIRST_LBA = 8;
  public static final int MBR_ENTRY_SECTORS = 12;
  public static final int MBR_STATUS_INACTIVE = 0x00;
  public static final int MBR_STATUS_ACTIVE = 0x80;

  /** The type of the one entry of GPT's protective MBR. */
  public static final int MBR_TYPE_GPT_PROTECTIVE = 0xee;

  /** GPT header (at LBA 1, its backup at the last LBA): field offsets. */
  public static final int GPT_REVISION = 8;

  public static final int GPT_HEADER_SIZE = 12;
  public static final int GPT_HEADER_CRC = 16;
  public static final int GPT_CURRENT_LBA = 24;
  public static final int GPT_BACKUP_LBA = 32;
  public static final int GPT_FIRST_USABLE_LBA = 40;
  public static final int GPT_LAST_USABLE_LBA = 48;
  public static final int GPT_DISK_GUID = 56;
  public static final int GPT_ENTRIES_LBA = 72;
  public static final int GPT_ENTRY_COUNT = 80;
  public static final int GPT_ENTRY_SIZE_FIELD = 84;
  public static final int GPT_ENTRIES_CRC = 88;

  /** Revision 1.0 and the header length the CRC covers. */
  public static final int GPT_REVISION_1_0 = 0x00010000;

  public static final int GPT_HEADER_LENGTH = 92;

  /** GPT entry: the size every tool writes and the smallest allowed; field offsets within one. */
  public static final int GPT_ENTRY_SIZE = 128;

  public static final int GPT_ENTRY_TYPE = 0;
  public static final int GPT_ENTRY_GUID = 16;
  public static final int GPT_ENTRY_FIRST_LBA = 32;
  public static final int GPT_ENTRY_LAST_LBA = 40;
  public static final int GPT_ENTRY_ATTRIBUTES = 48;
  public static final int GPT_ENTRY_NAME = 56;

  private static final byte[] GPT_SIGNATURE = "EFI PART".getBytes(StandardCharsets.US_ASCII);

  private PartitionTableFormat() {}

  /** Writes the GPT header signature at {@code at}. */
  public static void putGptSignature(ByteBuffer b, int at) {
    b.put(at, GPT_SIGNATURE);
  }

  /** Whether {@code bytes} holds the GPT header signature {@code "EFI PART"} at {@code at}. */
  public static boolean isGptSignature(byte[] bytes, int at) {
    return bytes.length >= at + GPT_SIGNATURE.length
        && Arrays.equals(
            bytes, at, at + GPT_SIGNATURE.length, GPT_SIGNATURE, 0, GPT_SIGNATURE.length);
  }

  /** Writes the MBR boot signature into the sector {@code mbr}. */
  public static void putBootSignature(ByteBuffer mbr) {
    mbr.put(MBR_BOOT_SIGNATURE, (byte) 0x55).put(MBR_BOOT_SIGNATURE + 1, (byte) 0xaa);
  }

  /** Whether the sector {@code sector} ends with the MBR boot signature. */
  public static boolean hasBootSignature(byte[] sector) {
    return sector.length >= SECTOR
        && (sector[MBR_BOOT_SIGNATURE] & 0xff) == 0x55
        && (sector[MBR_BOOT_SIGNATURE + 1] & 0xff) == 0xaa;
  }

  /** A GUID as GPT stores it: the first three fields little-endian, the last two as written. */
  public static void putGuid(ByteBuffer b, int at, UUID guid) {
    long msb = guid.getMostSignificantBits();
    ByteBuffer le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    le.putInt((int) (msb >>> 32)).putShort((short) (msb >>> 16)).putShort((short) msb);
    b.put(at, le.array());
    b.put(
        at + 8,
        ByteBuffer.allocate(8)
            .order(ByteOrder.BIG_ENDIAN)
            .putLong(guid.getLeastSignificantBits())
            .array());
  }

  /** The GUID stored at {@code at} as {@link #putGuid} writes it, in upper case. */
  public static String guid(byte[] b, int at) {
    return String.format(
        "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
        b[at + 3],
        b[at + 2],
        b[at + 1],
        b[at],
        b[at + 5],
        b[at + 4],
        b[at + 7],
        b[at + 6],
        b[at + 8],
        b[at + 9],
        b[at + 10],
        b[at + 11],
        b[at + 12],
        b[at + 13],
        b[at + 14],
        b[at + 15]);
  }
}
