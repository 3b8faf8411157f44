package io.imagebuilder.arm.internal.disk;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A board build on a host without mkfs.vfat (or qemu-img) fails before any work, naming the Debian
 * package. The tool is hidden from a child JVM only, by a bind mount in its own mount namespace
 * (unshare), which ends with it.
 */
class MissingHostToolIT {
  @TempDir Path dir;

  @Test
  void aMissingMkfsVfatFailsBeforeAnyWorkNamingDosfstools() throws Exception {
    String out = probe("/usr/sbin/mkfs.vfat");
    assertTrue(
        out.contains("BUILD FAILED: stage disk.assemble needs the host tool 'mkfs.vfat'"), out);
    assertTrue(out.contains("apt-get install dosfstools"), out);
    assertFalse(Files.exists(dir.resolve("work-was-done")), "no stage ran");
  }

  @Test
  void aMissingQemuImgFailsNamingQemuUtils() throws Exception {
    String out = probe("/usr/bin/qemu-img");
    assertTrue(out.contains("'qemu-img'") && out.contains("apt-get install qemu-utils"), out);
    assertFalse(Files.exists(dir.resolve("work-was-done")), "no stage ran");
  }

  private String probe(String hidden) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> argv =
        List.of(
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            "mount --bind /dev/null \"$1\" && shift && exec \"$@\"",
            "sh",
            hidden,
            java,
            "-cp",
            System.getProperty("java.class.path"),
            MissingToolProbe.class.getName(),
            dir.toString(),
            "pc-amd64");
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
