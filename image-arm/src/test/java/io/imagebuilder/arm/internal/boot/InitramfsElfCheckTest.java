package io.imagebuilder.arm.internal.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.arm.internal.exec.ElfExitBinary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InitramfsElfCheckTest {
  private static final int ARM64 = ElfExitBinary.machine(Architecture.ARM64);

  private static byte[] archive(Architecture... binaries) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("init", "#!/bin/sh\n".getBytes());
    for (Architecture a : binaries) {
      files.put("usr/bin/tool-" + a.debianName(), ElfExitBinary.forArchitecture(a));
    }
    return NewcCpio.archive(files);
  }

  @Test
  void anInitramfsOfTheTargetsBinariesHasNoForeignOnes() throws Exception {
    assertEquals(
        List.of(),
        InitramfsElfCheck.foreignElfFiles(Zstd.compress(archive(Architecture.ARM64)), ARM64));
    assertEquals(
        List.of(),
        InitramfsElfCheck.foreignElfFiles(NewcCpio.gzip(archive(Architecture.ARM64)), ARM64));
  }

  @Test
  void aHostBinaryIsFoundBehindAnUncompressedEarlyArchive() throws Exception {
    ByteArrayOutputStream initrd = new ByteArrayOutputStream();
    initrd.writeBytes(
        NewcCpio.archive(Map.of("kernel/x86/microcode/GenuineIntel.bin", new byte[] {1, 2, 3})));
    initrd.writeBytes(new byte[512]);
    initrd.writeBytes(Zstd.compress(archive(Architecture.ARM64, Architecture.AMD64)));
    assertEquals(
        List.of("usr/bin/tool-amd64"),
        InitramfsElfCheck.foreignElfFiles(initrd.toByteArray(), ARM64));
  }

  @Test
  void anUnknownCompressionOrATruncatedArchiveIsAnError() {
    IOException e =
        assertThrows(
            IOException.class,
            () -> InitramfsElfCheck.foreignElfFiles(new byte[] {'B', 'Z', 'h', '9', 1, 2}, ARM64));
    assertTrue(e.getMessage().contains("expected zstd, gzip or xz"), e.getMessage());
    byte[] whole = archive(Architecture.ARM64);
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
    assertThrows(IOException.class, () -> InitramfsElfCheck.foreignElfFiles(cut, ARM64));
  }
}
