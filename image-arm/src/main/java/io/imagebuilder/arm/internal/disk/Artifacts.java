package io.imagebuilder.arm.internal.disk;

import com.github.luben.zstd.ZstdOutputStream;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Compressed copies of a raw image, written in the JVM (single-threaded, fixed settings, so the
 * output is the same on every run), and artifact hashes. Each file is written through {@link
 * AtomicFiles}; their sha256 is {@link Sha256#ofFile}.
 */
public final class Artifacts {
  /** xz preset 6 with CRC64, as {@code xz -6}. */
  static final int XZ_PRESET = 6;

  /** zstd level 10: about as small as xz -3, and fast to decompress when flashing. */
  static final int ZSTD_LEVEL = 10;

  private Artifacts() {}

  public static void xz(Path raw, Path target) throws IOException {
    writeAtomically(
        target,
        out -> {
          try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options(XZ_PRESET))) {
            copy(raw, xz);
          }
        });
  }

  public static void zstd(Path raw, Path target) throws IOException {
    writeAtomically(
        target,
        out -> {
          try (ZstdOutputStream z = new ZstdOutputStream(out, ZSTD_LEVEL)) {
            z.setChecksum(true);
            copy(raw, z);
          }
        });
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
