package io.imagebuilder.rootfs.internal.tar;

import com.github.luben.zstd.ZstdInputStream;
import io.imagebuilder.internal.io.Compression;
import io.imagebuilder.rootfs.internal.deb.XzDecoder;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Opens a rootfs tarball whatever its compression, as {@link Compression} tells it from the magic
 * bytes: the formats {@link RootfsTarball} writes. Decompression is the library's existing one:
 * Commons Compress for gzip, {@link XzDecoder} (the host's xz when installed) for xz, zstd-jni for
 * zstd, as the bootstrap tree cache reads its trees.
 */
public final class TarballCompression {
  private TarballCompression() {}

  /** The decompressed bytes of {@code in}; the returned stream owns {@code in}. */
  public static InputStream open(Compression compression, InputStream in) throws IOException {
    switch (compression) {
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
    Compression compression = Compression.sniff(head);
    BufferedInputStream tar = new BufferedInputStream(open(compression, in), 1 << 17);
    try {
      tar.mark(512);
      byte[] header = tar.readNBytes(512);
      tar.reset();
      if (!Compression.isTarHeader(header)) {
        throw new IOException(
            label
                + " is not a rootfs tarball ("
                + compression.name().toLowerCase(Locale.ROOT)
                + " compression, but no tar header inside; expected tar, tar.gz, tar.xz or tar.zst)");
      }
      return tar;
    } catch (IOException | RuntimeException e) {
      tar.close();
      throw e;
    }
  }
}
