package io.imagebuilder.arm.internal.boot;

import com.github.luben.zstd.ZstdInputStream;
import io.imagebuilder.internal.io.Compression;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Lists the executables and libraries in an initramfs that are built for another machine than the
 * target's. An initramfs made with native helpers must hold none: a hook that copied a covered tool
 * would have copied the host's binary.
 *
 * <p>Reads the newc cpio archives mkinitramfs writes: uncompressed ones first (early microcode),
 * then one compressed with zstd, gzip or xz.
 */
final class InitramfsElfCheck {
  private static final byte[] CPIO = "070701".getBytes(StandardCharsets.US_ASCII);
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;

  private InitramfsElfCheck() {}

  /**
   * The paths of ELF files whose machine is not {@code machine}.
   *
   * @throws IOException if the initramfs is not in a form this reads
   */
  static List<String> foreignElfFiles(byte[] initrd, int machine) throws IOException {
    List<String> foreign = new ArrayList<>();
    int at = 0;
    while (at < initrd.length) {
      if (startsWith(initrd, at, CPIO)) {
        at = readArchive(initrd, at, machine, foreign);
      } else if (initrd[at] == 0) {
        at++; // padding between archives
      } else {
        byte[] rest = decompress(Arrays.copyOfRange(initrd, at, initrd.length));
        int end = 0;
        while (end < rest.length && startsWith(rest, end, CPIO)) {
          end = readArchive(rest, end, machine, foreign);
          while (end < rest.length && rest[end] == 0) {
            end++;
          }
        }
        if (end < rest.length) {
          throw new IOException("unexpected bytes after the compressed archive at " + end);
        }
        return foreign;
      }
    }
    return foreign;
  }

  /** Reads one archive from {@code at} up to its trailer; returns the offset after it. */
  private static int readArchive(byte[] b, int at, int machine, List<String> foreign)
      throws IOException {
    while (true) {
      if (at + 110 > b.length || !startsWith(b, at, CPIO)) {
        throw new IOException("not a newc cpio header at " + at);
      }
      int mode = hex(b, at + 14);
      int size = hex(b, at + 54);
      int nameSize = hex(b, at + 94);
      int name = at + 110;
      int data = align4(name + nameSize);
      if (nameSize < 1 || data + (long) size > b.length) {
        throw new IOException("truncated cpio entry at " + at);
      }
      String path = new String(b, name, nameSize - 1, StandardCharsets.UTF_8);
      if (path.equals("TRAILER!!!")) {
        return align4(data + size);
      }
      if ((mode & S_IFMT) == S_IFREG
          && size >= 20
          && b[data] == 0x7f
          && b[data + 1] == 'E'
          && b[data + 2] == 'L'
          && b[data + 3] == 'F') {
        ByteOrder order = b[data + 5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int elfMachine =
            Short.toUnsignedInt(ByteBuffer.wrap(b, data + 18, 2).order(order).getShort());
        if (elfMachine != machine) {
          foreign.add(path);
        }
      }
      at = align4(data + size);
    }
  }

  private static byte[] decompress(byte[] compressed) throws IOException {
    InputStream in;
    switch (Compression.sniff(compressed)) {
      case ZSTD:
        in = new ZstdInputStream(new ByteArrayInputStream(compressed));
        break;
      case GZIP:
        in = new GZIPInputStream(new ByteArrayInputStream(compressed));
        break;
      case XZ:
        in = new XZInputStream(new ByteArrayInputStream(compressed));
        break;
      default:
        throw new IOException("unknown initramfs compression (expected zstd, gzip or xz)");
    }
    try (in) {
      return in.readAllBytes();
    }
  }

  private static int hex(byte[] b, int at) {
    return Integer.parseUnsignedInt(new String(b, at, 8, StandardCharsets.US_ASCII), 16);
  }

  private static int align4(long n) {
    return (int) ((n + 3) & ~3L);
  }

  private static boolean startsWith(byte[] b, int at, byte[] prefix) {
    if (at + prefix.length > b.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
