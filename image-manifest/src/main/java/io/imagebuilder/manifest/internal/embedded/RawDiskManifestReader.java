package io.imagebuilder.manifest.internal.embedded;

import io.imagebuilder.internal.disk.PartitionTableReader;
import io.imagebuilder.internal.io.Compression;
import io.imagebuilder.manifest.api.EmbeddedManifestReader;
import io.imagebuilder.manifest.api.Manifests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the embedded manifest out of a raw disk image without mounting it: the partition table (GPT
 * or MBR, 512-byte sectors) is parsed in Java, every partition holding an ext2/3/4 filesystem is
 * found by its superblock magic, and {@link Manifests#EMBEDDED_PATH} is read from each in table
 * order with e2fsprogs' {@code debugfs} at the partition's byte offset, read-only. The first
 * partition that holds the file gives the manifest.
 *
 * <p>A file counts as a raw disk by content: a GPT header ("EFI PART") at byte 512, or the boot
 * signature 0x55AA at byte 510 with four well-formed MBR entries. Tarballs and compressed files are
 * left to other readers. Host tools: {@code debugfs} (Debian package e2fsprogs).
 */
public final class RawDiskManifestReader implements EmbeddedManifestReader {
  /** Larger than any manifest: a bigger file is not ours. */
  static final long MAX_MANIFEST_BYTES = TarballManifestReader.MAX_MANIFEST_BYTES;

  private static final long EXT_MAGIC_OFFSET = 1024 + 56;
  private static final int EXT_MAGIC = 0xef53;

  @Override
  public String name() {
    return "raw disk";
  }

  @Override
  public boolean canRead(Path file, byte[] head) {
    return !isTarOrCompressed(head) && PartitionTableReader.looksPartitioned(head);
  }

  @Override
  public Optional<String> read(Path file) throws IOException {
    List<PartitionTableReader.Partition> extPartitions = extPartitions(file);
    if (extPartitions.isEmpty()) {
      return Optional.empty();
    }
    Debugfs debugfs = Debugfs.find("reading the embedded manifest of the disk image " + file);
    for (PartitionTableReader.Partition partition : extPartitions) {
      Optional<byte[]> bytes =
          debugfs.read(file, partition.offset(), Manifests.EMBEDDED_PATH, MAX_MANIFEST_BYTES);
      if (bytes.isPresent()) {
        return Optional.of(new String(bytes.get(), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  /** The partitions of {@code file} that hold an ext2, ext3 or ext4 filesystem, in table order. */
  static List<PartitionTableReader.Partition> extPartitions(Path file) throws IOException {
    List<PartitionTableReader.Partition> found = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      for (PartitionTableReader.Partition p : PartitionTableReader.read(file)) {
        if (p.size() >= EXT_MAGIC_OFFSET + 2
            && hasExtMagic(channel, p.offset() + EXT_MAGIC_OFFSET)) {
          found.add(p);
        }
      }
    }
    return found;
  }

  private static boolean hasExtMagic(FileChannel channel, long position) throws IOException {
    ByteBuffer magic = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
    while (magic.hasRemaining()) {
      if (channel.read(magic, position + magic.position()) < 0) {
        return false;
      }
    }
    return (magic.getShort(0) & 0xffff) == EXT_MAGIC;
  }

  /** Tar headers and gzip/xz/zstd streams are the tarball reader's, whatever byte 510 holds. */
  private static boolean isTarOrCompressed(byte[] head) {
    return new TarballManifestReader().canRead(null, head)
        || Compression.sniff(head) != Compression.NONE;
  }
}
