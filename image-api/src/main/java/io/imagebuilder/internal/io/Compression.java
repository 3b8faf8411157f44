package io.imagebuilder.internal.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a stream is compressed, told by its magic bytes rather than a file name (a file named {@code
 * base.tar} may well be zstd): the one sniffer for tarballs, images and initramfs archives. Only
 * the telling lives here; each module decompresses with the libraries it has.
 */
public enum Compression {
  NONE,
  GZIP,
  XZ,
  ZSTD;

  /** How many leading bytes {@link #sniff} needs to tell every kind. */
  public static final int HEAD_BYTES = 6;

  private static final int TAR_MAGIC_OFFSET = 257;
  private static final byte[] USTAR = "ustar".getBytes(StandardCharsets.US_ASCII);

  /** The compression whose magic {@code head} starts with; {@link #NONE} for any other bytes. */
  public static Compression sniff(byte[] head) {
    if (startsWith(head, 0x1f, 0x8b)) {
      return GZIP;
    }
    if (startsWith(head, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
      return XZ;
    }
    if (startsWith(head, 0x28, 0xb5, 0x2f, 0xfd)) {
      return ZSTD;
    }
    return NONE;
  }

  /** True when {@code block} (an uncompressed stream's first bytes) is a POSIX tar header. */
  public static boolean isTarHeader(byte[] block) {
    return block.length >= TAR_MAGIC_OFFSET + USTAR.length
        && Arrays.equals(
            block, TAR_MAGIC_OFFSET, TAR_MAGIC_OFFSET + USTAR.length, USTAR, 0, USTAR.length);
  }

  private static boolean startsWith(byte[] head, int... magic) {
    if (head.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((head[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
