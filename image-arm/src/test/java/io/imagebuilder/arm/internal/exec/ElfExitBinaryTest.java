package io.imagebuilder.arm.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagebuilder.api.spec.Architecture;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ElfExitBinaryTest {
  @ParameterizedTest
  @EnumSource(Architecture.class)
  void headerDeclaresTheTargetAndAnEntryInsideTheFile(Architecture arch) {
    byte[] elf = ElfExitBinary.forArchitecture(arch);
    assertTrue(elf.length < 200, "tiny: " + elf.length);
    assertEquals(0x7f, elf[0]);
    assertEquals("ELF", new String(elf, 1, 3));
    boolean is64 = elf[4] == 2;
    boolean big = arch == Architecture.S390X;
    assertEquals(big ? 2 : 1, elf[5], "byte order");
    ByteBuffer b = ByteBuffer.wrap(elf).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    assertEquals(2, b.getShort(16), "ET_EXEC");
    assertEquals(ElfExitBinary.machine(arch), b.getShort(18) & 0xffff);
    long entry = is64 ? b.getLong(24) : b.getInt(24) & 0xffffffffL;
    long offset = entry - ElfExitBinary.BASE;
    assertTrue(offset > 0 && offset < elf.length, "entry inside the file: " + offset);
    assertEquals(1, b.getShort(is64 ? 56 : 44), "one program header");
    int ph = is64 ? 64 : 52;
    assertEquals(1, b.getInt(ph), "PT_LOAD");
  }

  @Test
  void expectedMachines() {
    assertEquals(183, ElfExitBinary.machine(Architecture.ARM64));
    assertEquals(40, ElfExitBinary.machine(Architecture.ARMHF));
    assertEquals(62, ElfExitBinary.machine(Architecture.AMD64));
    assertEquals(243, ElfExitBinary.machine(Architecture.RISCV64));
  }

  @Test
  void theHostsOwnBinaryReallyRunsAndExitsZero(@TempDir Path dir) throws Exception {
    Architecture host = Architecture.host();
    Path bin = dir.resolve("exit0");
    Files.write(bin, ElfExitBinary.forArchitecture(host));
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwx------"));
    Process p;
    try {
      p = new ProcessBuilder(List.of(bin.toString())).start();
    } catch (java.io.IOException e) {
      assumeTrue(false, "temp dir does not allow exec: " + e);
      return;
    }
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
  }
}
