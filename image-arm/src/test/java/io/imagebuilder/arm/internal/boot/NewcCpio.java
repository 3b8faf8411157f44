package io.imagebuilder.arm.internal.boot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes small newc cpio archives, as mkinitramfs makes them, for tests. */
final class NewcCpio {
  private NewcCpio() {}

  /** An archive of regular files (path -> content), ended by the trailer. */
  static byte[] archive(Map<String, byte[]> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int ino = 1;
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      entry(out, ino++, 0100755, f.getKey(), f.getValue());
    }
    entry(out, 0, 0, "TRAILER!!!", new byte[0]);
    return out.toByteArray();
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private static void entry(
      ByteArrayOutputStream out, int ino, int mode, String name, byte[] data) {
    byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
    String header =
        String.format(
            "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
            ino, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, n.length, 0);
    out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(n);
    pad(out);
    out.writeBytes(data);
    pad(out);
  }

  private static void pad(ByteArrayOutputStream out) {
    while (out.size() % 4 != 0) {
      out.write(0);
    }
  }
}
