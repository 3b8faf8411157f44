package io.imagebuilder.internal.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PartitionTableFormatTest {
  /** The EFI system partition type, as the UEFI specification lists its bytes on disk. */
  private static final String ESP = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";

  private static final String ESP_ON_DISK = "28732ac11ff8d211ba4b00a0c93ec93b";

  @Test
  void aGuidIsStoredMixedEndianAndReadBack() {
    ByteBuffer b = ByteBuffer.allocate(20);
    PartitionTableFormat.putGuid(b, 2, UUID.fromString(ESP));
    assertArrayEquals(HexFormat.of().parseHex(ESP_ON_DISK), Arrays.copyOfRange(b.array(), 2, 18));
    assertEquals(ESP, PartitionTableFormat.guid(b.array(), 2));
  }

  @Test
  void signaturesAreWrittenWhereTheyAreRead() {
    ByteBuffer sector = ByteBuffer.allocate(PartitionTableFormat.SECTOR);
    assertFalse(PartitionTableFormat.hasBootSignature(sector.array()));
    PartitionTableFormat.putBootSignature(sector);
    assertTrue(PartitionTableFormat.hasBootSignature(sector.array()));
    assertEquals((byte) 0x55, sector.get(510));
    assertEquals((byte) 0xaa, sector.get(511));

    assertFalse(PartitionTableFormat.isGptSignature(sector.array(), 0));
    PartitionTableFormat.putGptSignature(sector, 0);
    assertTrue(PartitionTableFormat.isGptSignature(sector.array(), 0));
    assertFalse(PartitionTableFormat.isGptSignature(new byte[4], 0), "too short");
  }

  @Test
  void theLayoutIsTheStandardOne() {
    // four 16-byte entries end exactly at the boot signature
    assertEquals(
        PartitionTableFormat.MBR_BOOT_SIGNATURE,
        PartitionTableFormat.MBR_ENTRIES
            + PartitionTableFormat.MBR_ENTRY_COUNT * PartitionTableFormat.MBR_ENTRY_SIZE);
    assertEquals(PartitionTableFormat.GPT_HEADER_LENGTH, PartitionTableFormat.GPT_ENTRIES_CRC + 4);
  }
}
