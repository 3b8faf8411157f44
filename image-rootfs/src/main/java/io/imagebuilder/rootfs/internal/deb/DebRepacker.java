package io.imagebuilder.rootfs.internal.deb;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.UnsafePackageException;
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
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/**
 * Rewrites a .deb so that its data member is an uncompressed {@code data.tar}, keeping {@code
 * debian-binary} and the control member byte for byte. dpkg-deb accepts such a package and then
 * only copies the data, so a target run under qemu-user no longer decompresses it emulated: the
 * decompression happens here, natively (xz with the host's xz when installed). The data entries can
 * be checked on the way ({@link DebCheck.DataEntries}), so a package is decompressed once, not once
 * for the check and again for the copy.
 */
public final class DebRepacker {
  private static final int BUFFER = 256 * 1024;
  private static final byte[] AR_MAGIC = "!<arch>\n".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER = 60;
  private static final int SIZE_OFFSET = 48;

  private DebRepacker() {}

  /** An entry of a package's data.tar as dpkg lists it: {@code /usr/bin/tool}, {@code /} first. */
  public record Listed(String path, boolean directory, String hardLinkTo) {}

  /**
   * Writes the repacked copy of {@code deb} to {@code target} (replaced if present), its data as
   * {@code data.tar.zst} at zstd's fastest level when {@code zstd} is set (decompressing that costs
   * an emulated dpkg-deb little, and the file stays small for apt, which hashes a local .deb,
   * emulated too), else as a plain {@code data.tar}. Each data.tar entry passes {@code check} (when
   * not null) as it is copied; a refused entry stops the copy and removes {@code target}.
   *
   * @return the data entries in archive order when checked, else an empty list
   * @throws UnsafePackageException if {@code check} refuses an entry
   * @throws DebFormatException if {@code deb} is not a .deb with a data member
   */
  public static List<Listed> repack(Path deb, Path target, boolean zstd, DebCheck.DataEntries check)
      throws IOException, DebFormatException, UnsafePackageException {
    List<Listed> listing = new ArrayList<>();
    try {
      write(deb, target, zstd, check == null ? null : new DataVisitor(check, listing));
    } catch (IOException | ImageBuildException | RuntimeException e) {
      Files.deleteIfExists(target);
      throw e;
    }
    return listing;
  }

  /**
   * The data entries of {@code deb} (a repacked copy, say), each passing {@code check}, in archive
   * order: what {@link #repack} returns for the package it was made from.
   *
   * @throws UnsafePackageException if {@code check} refuses an entry
   */
  public static List<Listed> list(DebFile deb, DebCheck.DataEntries check)
      throws IOException, UnsafePackageException {
    List<Listed> listing = new ArrayList<>();
    DataVisitor visitor = new DataVisitor(check, listing);
    try (TarArchiveInputStream in = deb.openData()) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        visitor.visit(e);
      }
    }
    return listing;
  }

  /**
   * Writes {@code deb} again to {@code target} with every regular file strictly below {@code dir}
   * (a path as dpkg lists it) emptied: still an entry, so dpkg lists it, but with nothing to read
   * (for a {@code --path-exclude} of that directory, whose files are written natively).
   */
  public static void emptyFilesBelow(Path deb, Path target, boolean zstd, String dir)
      throws IOException, DebFormatException {
    String prefix = dir + "/";
    try {
      write(
          deb,
          target,
          zstd,
          (tar, encoded) -> {
            // GNU tar's own block size: dpkg-deb's tar reads no further than its last block
            TarArchiveOutputStream out = new TarArchiveOutputStream(encoded, 10240, "UTF-8");
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveInputStream in = DebFile.dataTar(tar);
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
              if (e.isFile() && listedPath(e.getName()).startsWith(prefix)) {
                out.putArchiveEntry(withoutContent(e)); // the input still skips e's own size
              } else {
                out.putArchiveEntry(e);
                if (e.isFile()) {
                  in.transferTo(out);
                }
              }
              out.closeArchiveEntry();
            }
            out.finish();
          });
    } catch (IOException | DebFormatException | RuntimeException e) {
      Files.deleteIfExists(target);
      throw e;
    } catch (UnsafePackageException e) {
      throw new IllegalStateException("nothing is checked here", e);
    }
  }

  /** A copy of a regular file's entry, its name, owners, mode and time, with size 0. */
  private static TarArchiveEntry withoutContent(TarArchiveEntry e) {
    TarArchiveEntry copy = new TarArchiveEntry(e.getName(), e.getLinkFlag(), true);
    copy.setMode(e.getMode());
    copy.setUserId(e.getLongUserId());
    copy.setGroupId(e.getLongGroupId());
    copy.setUserName(e.getUserName());
    copy.setGroupName(e.getGroupName());
    copy.setModTime(e.getModTime());
    copy.setSize(0);
    return copy;
  }

  /** {@code ./usr/bin/} -> {@code /usr/bin}; {@code ./} -> {@code /}. */
  static String listedPath(String name) {
    String n = name.startsWith("./") ? name.substring(1) : "/" + name;
    if (n.length() > 1 && n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n.isEmpty() ? "/" : n;
  }

  /** What a checked copy does with each entry: check it, then list it. */
  private record DataVisitor(DebCheck.DataEntries check, List<Listed> listing) {
    void visit(TarArchiveEntry e) throws UnsafePackageException {
      List<String> parts = check.check(e);
      listing.add(
          new Listed(
              "/" + String.join("/", parts),
              e.isDirectory(),
              e.isLink() ? listedPath(e.getLinkName()) : null));
    }
  }

  private static void write(Path deb, Path target, boolean zstd, DataVisitor visitor)
      throws IOException, DebFormatException, UnsafePackageException {
    write(deb, target, zstd, (tar, encoded) -> copyData(tar, encoded, visitor));
  }

  /** Writes the decompressed data.tar ({@code tar}) into its encoded member. */
  private interface DataWriter {
    void write(InputStream tar, OutputStream encoded) throws IOException, UnsafePackageException;
  }

  private static void write(Path deb, Path target, boolean zstd, DataWriter writer)
      throws IOException, DebFormatException, UnsafePackageException {
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
            Content content = encoded -> writer.write(tar, encoded);
            if (zstd) {
              writeMember(
                  out, "data.tar.zst", content, sink -> new ZstdCompressorOutputStream(sink, 1));
            } else {
              writeMember(out, "data.tar", content, sink -> sink);
            }
          }
          data = true;
        } else {
          writeMember(out, name, ar::transferTo, sink -> sink);
        }
      }
    }
    if (!data) {
      throw new DebFormatException(
          deb + " has no data.tar member (expected a Debian binary package)");
    }
  }

  /** How a member's bytes are encoded on their way into the archive. */
  private interface Encoding {
    OutputStream wrap(OutputStream sink) throws IOException;
  }

  /** Writes a member's bytes into its (encoded) place in the archive. */
  private interface Content {
    void writeTo(OutputStream encoded) throws IOException, UnsafePackageException;
  }

  /**
   * Copies the decompressed data.tar to {@code encoded}; with a visitor, reads its entries from the
   * bytes as they pass, then copies what follows the last entry (the end blocks) as well.
   */
  private static void copyData(InputStream tar, OutputStream encoded, DataVisitor visitor)
      throws IOException, UnsafePackageException {
    if (visitor == null) {
      tar.transferTo(encoded);
      return;
    }
    InputStream copying = new CopyingInputStream(tar, encoded);
    TarArchiveInputStream entries = DebFile.dataTar(copying);
    for (TarArchiveEntry e = entries.getNextEntry(); e != null; e = entries.getNextEntry()) {
      visitor.visit(e);
    }
    copying.transferTo(OutputStream.nullOutputStream());
  }

  /** Writes every byte read from it to {@code copy}; a skip reads too, so nothing is left out. */
  private static final class CopyingInputStream extends FilterInputStream {
    private final OutputStream copy;
    private final byte[] skipped = new byte[BUFFER];

    CopyingInputStream(InputStream in, OutputStream copy) {
      super(in);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        copy.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        copy.write(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      int r = read(skipped, 0, (int) Math.min(n, skipped.length));
      return Math.max(r, 0);
    }

    @Override
    public void close() {} // the member's stream is the caller's to close
  }

  private static void writeMember(FileChannel out, String name, Content content, Encoding encoding)
      throws IOException, UnsafePackageException {
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
      content.writeTo(encoded);
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
