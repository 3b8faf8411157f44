package io.imagebuilder.rootfs.internal.deb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class XzDecoderTest {
  private static final byte[] DATA = data();
  private static final byte[] XZ = xz(DATA);

  static Stream<XzDecoder> decoders() {
    return Stream.of(XzDecoder.preferHost(), XzDecoder.inJvm());
  }

  @Test
  void theHostsXzIsUsedWhenInstalled() {
    // xz-utils is a required package of Debian, so a build host has it.
    assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/xz")));
    assertTrue(XzDecoder.preferHost().usesHost());
  }

  @ParameterizedTest
  @MethodSource("decoders")
  void decodesWhatTukaaniEncoded(XzDecoder decoder) throws IOException {
    try (InputStream in = decoder.open(new ByteArrayInputStream(XZ))) {
      assertArrayEquals(DATA, in.readAllBytes());
    }
  }

  @ParameterizedTest
  @MethodSource("decoders")
  void corruptOrTruncatedInputIsAnErrorNotAShortRead(XzDecoder decoder) {
    byte[] corrupt = XZ.clone();
    corrupt[corrupt.length / 2] ^= 0x55;
    assertThrows(IOException.class, () -> readAll(decoder, corrupt));
    byte[] truncated = Arrays.copyOf(XZ, XZ.length - 100);
    IOException e = assertThrows(IOException.class, () -> readAll(decoder, truncated));
    if (decoder.usesHost()) {
      assertTrue(e.getMessage().startsWith("xz failed (exit 1): "), e.getMessage());
    }
  }

  @Test
  void closingEarlyLeavesNoProcess() throws IOException {
    XzDecoder host = XzDecoder.preferHost();
    assumeTrue(host.usesHost());
    InputStream in = host.open(new ByteArrayInputStream(XZ));
    assertEquals(DATA[0], (byte) in.read());
    in.close();
    assertEquals(
        0,
        ProcessHandle.current()
            .children()
            .filter(p -> p.info().command().orElse("").endsWith("xz"))
            .count());
  }

  private static void readAll(XzDecoder decoder, byte[] xz) throws IOException {
    try (InputStream in = decoder.open(new ByteArrayInputStream(xz))) {
      in.readAllBytes();
    }
  }

  private static byte[] data() {
    Random random = new Random(7);
    byte[] d = new byte[3 << 20];
    for (int i = 0; i < d.length; i++) {
      d[i] = (byte) ('a' + random.nextInt(16));
    }
    return d;
  }

  private static byte[] xz(byte[] data) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options(1))) {
        xz.write(data);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
