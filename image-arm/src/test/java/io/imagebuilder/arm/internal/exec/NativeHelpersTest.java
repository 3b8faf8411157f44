package io.imagebuilder.arm.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeHelpersTest {
  @TempDir Path root;

  @Test
  void lddOutputGivesEachLibraryOnce() {
    String out =
        String.join(
            "\n",
            "/usr/bin/cp:",
            "\tlinux-vdso.so.1 (0x00007ffd)",
            "\tlibselinux.so.1 => /lib/x86_64-linux-gnu/libselinux.so.1 (0x00007f38)",
            "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f38)",
            "\t/lib64/ld-linux-x86-64.so.2 (0x00007f38)",
            "/usr/bin/dash:",
            "\tlibc.so.6 => /usr/lib/x86_64-linux-gnu/libc.so.6 (0x00007fa8)");
    assertEquals(
        List.of(
            Path.of("/lib/x86_64-linux-gnu/libselinux.so.1"),
            Path.of("/lib/x86_64-linux-gnu/libc.so.6")),
        NativeHelpers.parseLdd(out));
  }

  @Test
  void aToolIsFoundOnceThroughMergedUsrAndNeverOutsideTheRoot() throws Exception {
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
    Files.writeString(root.resolve("usr/bin/cp"), "elf");
    Files.createSymbolicLink(root.resolve("usr/bin/sh"), Path.of("dash"));
    Files.writeString(root.resolve("usr/bin/dash"), "elf");
    Files.createSymbolicLink(root.resolve("usr/bin/awk"), Path.of("/usr/bin/env"));
    Path real = root.toRealPath();

    assertEquals(List.of(real.resolve("usr/bin/cp")), NativeHelpers.targetFiles(real, "cp"));
    assertEquals(
        List.of(real.resolve("usr/bin/dash")),
        NativeHelpers.targetFiles(real, "sh"),
        "a link is answered by the file it names, which is what gets covered");
    assertEquals(
        List.of(),
        NativeHelpers.targetFiles(real, "awk"),
        "an absolute link leads out of the root");
    assertEquals(List.of(), NativeHelpers.targetFiles(real, "sed"));
  }

  @Test
  void noToolThatReportsTheMachineOrWritesCompressedBytes() {
    for (String tool :
        List.of(
            "uname", "arch", "nproc", "hostname", "gzip", "zstd", "xz", "cpio", "tar", "date")) {
      assertFalse(NativeHelpers.TOOLS.containsKey(tool), tool);
    }
    assertTrue(
        NativeHelpers.TOOLS.keySet().containsAll(List.of("dash", "cp", "sed", "grep", "find")));
  }
}
