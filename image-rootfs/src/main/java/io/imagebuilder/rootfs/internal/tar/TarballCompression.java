package io.imagebuilder.rootfs.internal.tar;

import com.github.luben.zstd.ZstdInputStream;
import io.imagebuilder.rootfs.internal.deb.XzDecoder;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * How a rootfs tarball is compressed, told by its magic bytes rather than its name (a file named
 * {@code base.tar} may well be zstd): the formats {@link RootfsTarball} writes. Decompression is
 * the library's existing one: Commons Compress for gzip, {@link XzDecoder} (the host's xz when
 * installed) for xz, zstd-jni for zstd, as the bootstrap tree cache reads its trees.
 */
public enum TarballCompression {
  NONE,
  GZIP,
  XZ,
  ZSTD;

  private static final int TAR_MAGIC_OFFSET = 257;
  private static final byte[] USTAR = "ustar".getBytes(StandardCharsets.US_ASCII);

  /** The compression whose magic {@code head} starts with; {@link #NONE} for any other bytes. */
  public static TarballCompression sniff(byte[] head) {
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

  /** The decompressed bytes of {@code in}; the returned stream owns {@code in}. */
  public InputStream open(InputStream in) throws IOException {
    switch (this) {
      case GZIP:
        return new GzipCompressorInputStream(in, true);
      case XZ:
        return XzDecoder.preferHost().open(in);
      case ZSTD:
        return new ZstdInputStream(in);
      default:
        return in;
    }
  }

  /**
   * The tar stream inside {@code raw}, whatever its compression; fails with an IOException naming
   * {@code label} unless it starts with a POSIX tar header. The returned stream owns {@code raw}.
   */
  public static InputStream openTar(InputStream raw, String label) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 17);
    in.mark(16);
    byte[] head = in.readNBytes(8);
    in.reset();
    TarballCompression compression = sniff(head);
    BufferedInputStream tar = new BufferedInputStream(compression.open(in), 1 << 17);
    try {
      tar.mark(512);
      byte[] header = tar.readNBytes(512);
      tar.reset();
      if (!isTarHeader(header)) {
        throw new IOException(label + " is not a rootfs tarball (" + compression.name().toLowerCase(java.util.Locale.ROOT)
            + " compression, but no tar header inside; expected tar, tar.gz, tar.xz or tar.zst)");
      }
      return tar;
    } catch (IOException | RuntimeException e) {
      tar.close();
      throw e;
    }
  }

  private static boolean isTarHeader(byte[] block) {
    return block.length >= TAR_MAGIC_OFFSET + USTAR.length
        && Arrays.equals(block, TAR_MAGIC_OFFSET, TAR_MAGIC_OFFSET + USTAR.length, USTAR, 0, USTAR.length);
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
