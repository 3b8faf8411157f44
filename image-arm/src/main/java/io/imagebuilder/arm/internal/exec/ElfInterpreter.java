package io.imagebuilder.arm.internal.exec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads and rewrites the program interpreter ({@code PT_INTERP}) of a dynamically linked ELF
 * executable. A host binary copied into a target root finds its dynamic loader under a path we
 * choose, so nothing has to be placed at {@code /lib64} in the target (mkinitramfs, for one,
 * mirrors every top-level {@code /lib*} into the initramfs).
 */
final class ElfInterpreter {
  private static final int PT_INTERP = 3;

  private ElfInterpreter() {}

  /** The interpreter path, or empty for a static executable or a file that is not ELF. */
  static Optional<String> read(byte[] elf) {
    return segment(elf)
        .map(
            s -> {
              int end = s.offset;
              while (end < s.offset + s.size && elf[end] != 0) {
                end++;
              }
              return new String(elf, s.offset, end - s.offset, StandardCharsets.UTF_8);
            });
  }

  /**
   * A copy of {@code elf} whose interpreter is {@code path}.
   *
   * @throws IllegalArgumentException if the file has no interpreter or {@code path} does not fit in
   *     the space the old one took
   */
  static byte[] withInterpreter(byte[] elf, String path) {
    Segment s =
        segment(elf)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "invalid executable (expected a dynamically linked ELF file with an interpreter)"));
    byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
    if (bytes.length + 1 > s.size) {
      throw new IllegalArgumentException(
          "invalid interpreter path '"
              + path
              + "' (expected at most "
              + (s.size - 1)
              + " bytes, the length of the one it replaces)");
    }
    byte[] out = elf.clone();
    Arrays.fill(out, s.offset, s.offset + s.size, (byte) 0);
    System.arraycopy(bytes, 0, out, s.offset, bytes.length);
    return out;
  }

  private record Segment(int offset, int size) {}

  private static Optional<Segment> segment(byte[] elf) {
    if (elf.length < 52 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F') {
      return Optional.empty();
    }
    boolean is64 = elf[4] == 2;
    ByteBuffer b =
        ByteBuffer.wrap(elf).order(elf[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    long phoff = is64 ? b.getLong(32) : Integer.toUnsignedLong(b.getInt(28));
    int phentsize = Short.toUnsignedInt(b.getShort(is64 ? 54 : 42));
    int phnum = Short.toUnsignedInt(b.getShort(is64 ? 56 : 44));
    for (int i = 0; i < phnum; i++) {
      long at = phoff + (long) i * phentsize;
      if (at + phentsize > elf.length) {
        return Optional.empty();
      }
      int p = (int) at;
      if (b.getInt(p) != PT_INTERP) {
        continue;
      }
      long offset = is64 ? b.getLong(p + 8) : Integer.toUnsignedLong(b.getInt(p + 4));
      long size = is64 ? b.getLong(p + 32) : Integer.toUnsignedLong(b.getInt(p + 16));
      if (offset < 0 || size <= 0 || offset + size > elf.length) {
        return Optional.empty();
      }
      return Optional.of(new Segment((int) offset, (int) size));
    }
    return Optional.empty();
  }
}
