package io.imagebuilder.arm.internal.disk;

import com.github.luben.zstd.ZstdOutputStream;
import io.imagebuilder.internal.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Compressed copies of a raw image, written in the JVM (single-threaded, fixed settings, so the
 * output is the same on every run), and artifact hashes. Each file is written through {@link
 * AtomicFiles}.
 */
public final class Artifacts {
  /** xz preset 6 with CRC64, as {@code xz -6}. */
  static final int XZ_PRESET = 6;
  /** zstd level 10: about as small as xz -3, and fast to decompress when flashing. */
  static final int ZSTD_LEVEL = 10;

  private Artifacts() {}

  public static void xz(Path raw, Path target) throws IOException {
    writeAtomically(target, out -> {
      try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options(XZ_PRESET))) {
        copy(raw, xz);
      }
    });
  }

  public static void zstd(Path raw, Path target) throws IOException {
    writeAtomically(target, out -> {
      try (ZstdOutputStream z = new ZstdOutputStream(out, ZSTD_LEVEL)) {
        z.setChecksum(true);
        copy(raw, z);
      }
    });
  }

  public static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 20];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  private interface Body {
    void write(OutputStream out) throws IOException;
  }

  private static void writeAtomically(Path target, Body body) throws IOException {
    AtomicFiles.write(target, body::write);
  }

  private static void copy(Path raw, OutputStream out) throws IOException {
    try (InputStream in = Files.newInputStream(raw)) {
      in.transferTo(out);
    }
  }
}
