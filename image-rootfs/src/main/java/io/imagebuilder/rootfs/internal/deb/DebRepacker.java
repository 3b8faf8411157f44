package io.imagebuilder.rootfs.internal.deb;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * Rewrites a .deb so that its data member is an uncompressed {@code data.tar}, keeping {@code
 * debian-binary} and the control member byte for byte. dpkg-deb accepts such a package and then
 * only copies the data, so a target run under qemu-user no longer decompresses it emulated: the
 * decompression happens here, natively (xz with the host's xz when installed).
 */
public final class DebRepacker {
  private static final int BUFFER = 256 * 1024;
  private static final byte[] AR_MAGIC = "!<arch>\n".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER = 60;
  private static final int SIZE_OFFSET = 48;

  private DebRepacker() {}

  /**
   * Writes the repacked copy of {@code deb} to {@code target} (replaced if present).
   *
   * @throws DebFormatException if {@code deb} is not a .deb with a data member
   */
  public static void repack(Path deb, Path target) throws IOException, DebFormatException {
    repack(deb, target, false);
  }

  /**
   * Writes the repacked copy of {@code deb} to {@code target} (replaced if present), its data as
   * {@code data.tar.zst} at zstd's fastest level when {@code zstd} is set: decompressing that costs
   * an emulated dpkg-deb little, and the file stays small for apt, which hashes a local .deb
   * (emulated too) before installing it.
   *
   * @throws DebFormatException if {@code deb} is not a .deb with a data member
   */
  public static void repack(Path deb, Path target, boolean zstd)
      throws IOException, DebFormatException {
    boolean data = false;
    try (ArArchiveInputStream ar =
            new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(deb), BUFFER));
        FileChannel out =
            FileChannel.open(
                target,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
      out.write(ByteBuffer.wrap(AR_MAGIC));
      for (ArArchiveEntry e = ar.getNextEntry(); e != null; e = ar.getNextEntry()) {
        String name = e.getName();
        if (name.startsWith("data.tar")) {
          // The decompressed size is unknown until the end: the header's size is patched then.
          // The decompressor closes its input at the end: shield the archive, still being read.
          try (InputStream tar =
              DebFile.openMember(
                  name,
                  new FilterInputStream(ar) {
                    @Override
                    public void close() {}
                  })) {
            if (zstd) {
              writeMember(
                  out, "data.tar.zst", tar, sink -> new ZstdCompressorOutputStream(sink, 1));
            } else {
              writeMember(out, "data.tar", tar, sink -> sink);
            }
          }
          data = true;
        } else {
          writeMember(out, name, ar, sink -> sink);
        }
      }
    }
    if (!data) {
      Files.deleteIfExists(target);
      throw new DebFormatException(
          deb + " has no data.tar member (expected a Debian binary package)");
    }
  }

  /** How a member's bytes are encoded on their way into the archive. */
  private interface Encoding {
    OutputStream wrap(OutputStream sink) throws IOException;
  }

  private static void writeMember(
      FileChannel out, String name, InputStream content, Encoding encoding) throws IOException {
    if (name.length() > 16) {
      throw new IOException("ar member name '" + name + "' is longer than 16 characters");
    }
    long headerAt = out.position();
    out.write(ByteBuffer.wrap(header(name, 0)));
    OutputStream sink =
        new FilterOutputStream(Channels.newOutputStream(out)) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            flush(); // the channel stays open for the next member
          }
        };
    try (OutputStream encoded = encoding.wrap(sink)) {
      content.transferTo(encoded);
    }
    long size = out.position() - headerAt - HEADER;
    if (size % 2 == 1) {
      out.write(ByteBuffer.wrap(new byte[] {'\n'}));
    }
    long end = out.position();
    out.position(headerAt);
    out.write(ByteBuffer.wrap(header(name, size)));
    out.position(end);
  }

  /** A common ar header: name, mtime 0, uid and gid 0, mode 100644, the size, the end marker. */
  private static byte[] header(String name, long size) {
    String sizeField = Long.toString(size);
    if (sizeField.length() > 10) {
      throw new IllegalArgumentException(
          "ar member " + name + " of " + size + " bytes is too large");
    }
    String h =
        pad(name, 16)
            + pad("0", 12)
            + pad("0", 6)
            + pad("0", 6)
            + pad("100644", 8)
            + pad(sizeField, 10)
            + "`\n";
    byte[] bytes = h.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length != HEADER || h.indexOf('`') != SIZE_OFFSET + 10) {
      throw new IllegalStateException("bad ar header for " + name);
    }
    return bytes;
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }
}
