package io.imagebuilder.arm.internal.disk;

/**
 * How big to make a filesystem for its content. ext4: the content plus 10% for metadata and
 * fragmentation, 64 MiB for the journal, the requested free space, all over 0.95 for the blocks
 * reserved for root. FAT: twice the content (room for the next kernel and initrd beside the current
 * ones) plus 16 MiB, at least 64 MiB so it can be FAT32.
 */
public final class SizePolicy {
  static final long JOURNAL = 64 * ByteSize.MIB;
  static final long FAT_MINIMUM = 64 * ByteSize.MIB;

  private SizePolicy() {}

  public static long ext4Bytes(TreeUsage content, long freeSpace) {
    long inodeTables = content.inodes() * 256 * 2;
    double raw = content.bytes() * 1.10 + inodeTables + JOURNAL + freeSpace;
    return ByteSize.alignUp((long) Math.ceil(raw / 0.95), ByteSize.MIB);
  }

  public static long fatBytes(TreeUsage content) {
    return Math.max(
        FAT_MINIMUM, ByteSize.alignUp(content.bytes() * 2 + 16 * ByteSize.MIB, ByteSize.MIB));
  }
}
