package io.imagebuilder.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CompressionTest {
  @Test
  void eachKindIsToldByItsMagic() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write('x');
    }
    assertEquals(Compression.GZIP, Compression.sniff(gz.toByteArray()));
    assertEquals(
        Compression.XZ, Compression.sniff(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 4}));
    assertEquals(
        Compression.ZSTD,
        Compression.sniff(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0}));
  }

  @Test
  void otherOrTooFewBytesAreNoCompression() {
    assertEquals(Compression.NONE, Compression.sniff(new byte[] {'P', 'K', 3, 4}));
    assertEquals(Compression.NONE, Compression.sniff(new byte[0]));
    assertEquals(
        Compression.NONE,
        Compression.sniff(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z'}),
        "xz cut short");
  }

  @Test
  void headBytesAreEnoughForTheLongestMagic() {
    byte[] xz = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    assertEquals(Compression.XZ, Compression.sniff(Arrays.copyOf(xz, Compression.HEAD_BYTES)));
  }

  @Test
  void aTarHeaderHasUstarAtOffset257() {
    byte[] block = new byte[512];
    assertFalse(Compression.isTarHeader(block));
    System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, block, 257, 5);
    assertTrue(Compression.isTarHeader(block));
    assertFalse(Compression.isTarHeader(Arrays.copyOf(block, 260)), "a block cut short");
  }
}
