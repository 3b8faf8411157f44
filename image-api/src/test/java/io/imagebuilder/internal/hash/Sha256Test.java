package io.imagebuilder.internal.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.Hasher;
import com.google.common.hash.HashingInputStream;
import com.google.common.hash.HashingOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {
  /** FIPS 180-2 test vector for "abc". */
  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  private static final String EMPTY =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void bytesAndStringsGiveTheKnownDigests() {
    assertEquals(ABC, Sha256.of("abc".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(ABC, Sha256.ofString("abc"));
    assertEquals(EMPTY, Sha256.of(new byte[0]));
  }

  @Test
  void aStringIsHashedAsUtf8() {
    String text = "größe ✓";
    assertEquals(Sha256.of(text.getBytes(StandardCharsets.UTF_8)), Sha256.ofString(text));
  }

  @Test
  void aLargeFileIsStreamedToTheSameDigestAsTheJdk(@TempDir Path dir) throws Exception {
    byte[] data = new byte[3 * (1 << 16) + 17];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    Path file = dir.resolve("f");
    Files.write(file, data);
    String jdk = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    assertEquals(jdk, Sha256.ofFile(file));
    assertEquals(jdk, Sha256.ofStream(new ByteArrayInputStream(data)));
  }

  @Test
  void digestOfARangeIsTheRawBytesOfThatRange() throws Exception {
    byte[] data = "xxabcyy".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(HexFormat.of().parseHex(ABC), Sha256.digest(data, 2, 3));
  }

  @Test
  void incrementalFormsAgreeWithTheWhole() throws IOException {
    byte[] data = "abc".getBytes(StandardCharsets.US_ASCII);
    Hasher h = Sha256.hasher();
    h.putBytes(data, 0, 1).putBytes(data, 1, 2);
    assertEquals(ABC, h.hash().toString());

    HashingOutputStream out = Sha256.hashing(OutputStream.nullOutputStream());
    out.write(data);
    assertEquals(ABC, out.hash().toString());

    HashingInputStream in = Sha256.hashing(new ByteArrayInputStream(data));
    in.transferTo(OutputStream.nullOutputStream());
    assertEquals(ABC, in.hash().toString());
  }

  @Test
  void isHexAcceptsOnlyLowerCaseDigests() {
    assertTrue(Sha256.isHex(ABC));
    assertFalse(Sha256.isHex(ABC.toUpperCase()));
    assertFalse(Sha256.isHex(ABC.substring(1)));
    assertFalse(Sha256.isHex(null));
  }
}
