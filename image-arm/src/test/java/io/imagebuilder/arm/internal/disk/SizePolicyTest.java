package io.imagebuilder.arm.internal.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SizePolicyTest {
  @TempDir Path dir;

  @Test
  void ext4IsTheContentWithMetadataJournalAndFreeSpaceOverTheReservedBlocks() {
    long bytes =
        SizePolicy.ext4Bytes(new TreeUsage(1000 * ByteSize.MIB, 30000), 256 * ByteSize.MIB);
    assertEquals(0, bytes % ByteSize.MIB);
    long expected =
        ByteSize.alignUp(
            (long)
                Math.ceil(
                    (1100 * ByteSize.MIB + 30000L * 512 + 64 * ByteSize.MIB + 256 * ByteSize.MIB)
                        / 0.95),
            ByteSize.MIB);
    assertEquals(expected, bytes);
  }

  @Test
  void fatHoldsTwoKernelsAndIsAtLeast64MiB() {
    assertEquals(64 * ByteSize.MIB, SizePolicy.fatBytes(new TreeUsage(ByteSize.MIB, 3)));
    assertEquals(216 * ByteSize.MIB, SizePolicy.fatBytes(new TreeUsage(100 * ByteSize.MIB, 30)));
  }

  @Test
  void treeUsageCountsBlocksInodesAndHardLinksOnceAndSkipsExcludedSubtrees() throws Exception {
    Files.writeString(dir.resolve("a"), "x");
    Files.write(dir.resolve("b"), new byte[5000]);
    Files.createLink(dir.resolve("c"), dir.resolve("b"));
    Files.createDirectories(dir.resolve("boot/efi/EFI"));
    Files.write(dir.resolve("boot/efi/EFI/big"), new byte[100_000]);
    TreeUsage u = TreeUsage.of(dir, List.of(dir.resolve("boot/efi")));
    assertEquals(3 + 2, u.inodes(), "root, boot, boot/efi, a, b (c is b)");
    assertEquals(3 * 4096 + 4096 + 8192, u.bytes());
  }

  @Test
  void sizesParseWithBinaryUnitsOnly() {
    assertEquals(256 * ByteSize.MIB, ByteSize.parse("256MiB"));
    assertEquals(2 * ByteSize.GIB, ByteSize.parse("2GiB"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("256MB"));
    assertTrue(e.getMessage().startsWith("invalid size '256MB'"), e.getMessage());
  }
}
