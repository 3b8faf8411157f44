package io.imagebuilder.internal.hash;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.common.hash.HashingInputStream;
import com.google.common.hash.HashingOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one sha256 of the library: of bytes, of a string (UTF-8), of a file or stream read to its
 * end, and incremental forms for data hashed while it is copied. Every digest is 64 lower-case hex
 * digits, the form Debian's Release and Packages files, the manifest and the index use.
 */
public final class Sha256 {
  private static final HashFunction SHA256 = Hashing.sha256();
  private static final int BUFFER = 1 << 16;

  private Sha256() {}

  public static String of(byte[] bytes) {
    return SHA256.hashBytes(bytes).toString();
  }

  /** The raw 32-byte digest of {@code length} bytes of {@code data} from {@code offset}. */
  public static byte[] digest(byte[] data, int offset, int length) {
    return SHA256.hashBytes(data, offset, length).asBytes();
  }

  /** Of the UTF-8 bytes of {@code text}. */
  public static String ofString(String text) {
    return SHA256.hashString(text, StandardCharsets.UTF_8).toString();
  }

  /** Of a file's content, streamed (a disk image need not fit in memory). */
  public static String ofFile(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return ofStream(in);
    }
  }

  /** Of what {@code in} gives until its end; the caller closes it. */
  public static String ofStream(InputStream in) throws IOException {
    Hasher hasher = SHA256.newHasher();
    byte[] buffer = new byte[BUFFER];
    int n;
    while ((n = in.read(buffer)) != -1) {
      hasher.putBytes(buffer, 0, n);
    }
    return hasher.hash().toString();
  }

  /** A hasher to feed piece by piece; {@code hasher.hash().toString()} is the hex digest. */
  public static Hasher hasher() {
    return SHA256.newHasher();
  }

  /** {@code out} that hashes what passes through it; {@code hash().toString()} is the digest. */
  public static HashingOutputStream hashing(OutputStream out) {
    return new HashingOutputStream(SHA256, out);
  }

  /** {@code in} that hashes what is read through it; {@code hash().toString()} is the digest. */
  public static HashingInputStream hashing(InputStream in) {
    return new HashingInputStream(SHA256, in);
  }

  /** True for 64 lower-case hex digits, the form every digest here takes. */
  public static boolean isHex(String s) {
    if (s == null || s.length() != 64) {
      return false;
    }
    // a loop, not a regex: every record of a Packages index is checked
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }
}
