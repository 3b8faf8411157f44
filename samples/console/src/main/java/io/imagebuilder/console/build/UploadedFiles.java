package io.imagebuilder.console.build;

import io.imagebuilder.console.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Files a farm worker uploads into a build's output directory: a plain file name only, written
 * under a temporary name, kept only when its sha256 is the one the worker declared, then renamed
 * into place, so a half or corrupted upload never appears under its name.
 */
public final class UploadedFiles {
  private UploadedFiles() {}

  /** {@code name}, if it is a plain file name (no directory, no hidden file). */
  public static String checkName(String name) {
    if (name == null
        || name.isEmpty()
        || name.length() > 255
        || name.contains("/")
        || name.contains("\\")
        || name.contains("\0")
        || name.startsWith(".")) {
      throw new IllegalArgumentException(
          "invalid file name '"
              + BuildIds.excerpt(name == null ? null : name.replace("\0", "\\0"))
              + "' (expected a plain file name such as rootfs.tar.zst)");
    }
    return name;
  }

  /**
   * Stores {@code in} as {@code dir/name} if its sha256 is {@code declaredSha256}.
   *
   * @return the number of bytes stored
   * @throws IllegalArgumentException for a bad name or hash, or content that does not match it
   */
  public static long store(InputStream in, Path dir, String name, String declaredSha256)
      throws IOException {
    checkName(name);
    if (!Sha256.isValid(declaredSha256)) {
      throw new IllegalArgumentException(
          "invalid declared sha256 '"
              + BuildIds.excerpt(declaredSha256)
              + "' of upload "
              + name
              + " (expected 64 lower-case hex digits in the X-Content-SHA256 header)");
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".upload-", ".part");
    try {
      MessageDigest digest = Sha256.digest();
      long size;
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), digest)) {
        size = in.transferTo(out);
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(declaredSha256)) {
        throw new IllegalArgumentException(
            "upload "
                + name
                + " has sha256 "
                + actual
                + " (expected "
                + declaredSha256
                + ", as declared); not stored");
      }
      Files.move(
          tmp,
          dir.resolve(name),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      return size;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The sha256 of {@code file}, or null when it is not there. */
  static String sha256(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return Sha256.of(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
