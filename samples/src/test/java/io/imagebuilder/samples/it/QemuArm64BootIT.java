package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.api.event.CompletedStage;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.ManifestPackage;
import io.imagebuilder.samples.testing.BoardImages;
import io.imagebuilder.samples.testing.BootChecks;
import io.imagebuilder.samples.testing.EmulatedInitramfsCheck;
import io.imagebuilder.samples.testing.ItBuilds;
import io.imagebuilder.samples.testing.SshLogin;
import io.imagebuilder.testing.DiskImageFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A qemu-arm64 image of bookworm with openssh-server and a user with an authorized key, built by
 * the library end to end under qemu-user, boots on qemu's virt machine (AAVMF, TCG) to a login
 * prompt on the serial console and answers an SSH login with the key through qemu's forwarded port;
 * booted on a disk 1 GiB larger than the image, its root filesystem has grown into it (the
 * grow-root unit, sfdisk and resize2fs, with no python in the image); its initramfs, made with
 * native helpers, is the one a fully emulated mkinitramfs makes. The same image with one more
 * package, built in the same cache, reuses board.kernel from the stage cache and runs from
 * rootfs.packages on. The same spec built with apt's own emulated installs is the same image.
 */
class QemuArm64BootIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final DiskImageFixture IMAGE = BoardImages.of("qemu-arm64", "bookworm", "openssh-server");

  /** How much larger than the image the booted disk is, for the root to grow into. */
  private static final long GROWTH = 1L << 30;

  @Test
  void bootsToALoginPromptAndAnswersAnSshLoginWithTheKey() throws Exception {
    Path image = IMAGE.diskImage();
    long imageBytes = Files.size(image);
    BootChecks.LoggedIn in = BootChecks.bootAndLogIn(image, "qemu-arm64", null, GROWTH);
    BootResult result = in.boot();
    assertTrue(result.reachedLogin(), result.summary(60));
    assertNotNull(in.login(), result.summary(60));
    assertEquals("aarch64", in.machine(), in.login().output());
    assertEquals(SshLogin.USER, in.user(), in.login().output());
    assertEquals("systemd", in.init(), in.login().output());
    PcAmd64BootIT.assertCleanBoot(result); // names the grow-root unit if it failed
    assertTrue(
        in.rootBytes() > imageBytes + GROWTH / 2,
        "the root filesystem is "
            + in.rootBytes()
            + " bytes, not grown into the disk "
            + GROWTH
            + " bytes larger than the "
            + imageBytes
            + "-byte image");
    // beside the disk image: the result names the directory the fixture built into
    Path manifestFile = image.resolveSibling(IMAGE.result().manifest().orElseThrow().getFileName());
    Manifest manifest = Manifest.fromJson(Files.readString(manifestFile));
    List<String> python =
        manifest.packages().stream()
            .map(ManifestPackage::name)
            .filter(n -> n.startsWith("python"))
            .toList();
    assertEquals(List.of(), python, "grow-root needs no python");
  }

  /**
   * The check stage fails the build on any difference, so the image being ready proves it passed;
   * its log (restored with a result reused from the stage cache) shows what it compared.
   */
  @Test
  void initramfsMadeWithNativeHelpersIsTheFullyEmulatedOne() throws Exception {
    BuildResult result = IMAGE.result();
    CompletedStage check =
        result.stages().stream()
            .filter(s -> s.type().equals("test.initramfs-emulated"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no initramfs check in " + result.stages()));
    assertEquals(
        "board.boot",
        result.stages().get(result.stages().indexOf(check) - 1).type(),
        "the check ran right after the boot stage, on the finished initramfs");
    Path logs = IMAGE.diskImage().resolveSibling("logs");
    String log;
    try (Stream<Path> files = Files.list(logs)) {
      Path file =
          files
              .filter(f -> f.getFileName().toString().endsWith("-test.initramfs-emulated.log"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no log of the check in " + logs));
      log = Files.readString(file);
    }
    assertTrue(log.contains(EmulatedInitramfsCheck.HELPERS_LINE), log);
    assertEquals(
        1,
        log.lines().filter(l -> l.contains(EmulatedInitramfsCheck.KERNEL_LINE)).count(),
        "one kernel compared: " + log);
  }

  @Test
  void oneMorePackageReusesTheKernelStageFromTheStageCache() throws Exception {
    IMAGE.diskImage(); // built (or reused) first, in the same cache
    Path out = ItBuilds.freshWorkDir("qemu-arm64-one-more-package").resolve("out");
    long start = System.nanoTime();
    BuildResult more =
        ImageBuilder.forSeries("bookworm")
            .forBoard("qemu-arm64")
            .withPackages("openssh-server", "curl")
            .build(
                RunConfiguration.into(out)
                    .withCacheDir(BoardImages.cacheDir())
                    .withStageCache(true));
    System.out.printf(
        "qemu-arm64 with one more package built in %.0f s%n", (System.nanoTime() - start) / 1e9);
    List<String> types = more.stages().stream().map(CompletedStage::type).toList();
    int kernel = types.indexOf("board.kernel");
    int packages = types.indexOf("rootfs.packages");
    assertTrue(kernel >= 0 && kernel < packages, "board.kernel before the packages: " + types);
    String kernelLog = stageLog(out, kernel, "board.kernel");
    assertTrue(
        kernelLog.contains("reused from the stage cache entry"),
        "board.kernel was not reused: " + kernelLog);
    String packagesLog = stageLog(out, packages, "rootfs.packages");
    assertFalse(packagesLog.contains("reused from the stage cache"), packagesLog);
    assertTrue(packagesLog.contains("curl"), "the packages stage installed curl");
  }

  /**
   * The same image built with apt unpacking every later .deb itself, emulated (the slow path the
   * native .debs replace), in a cache of its own: the same packages, byte for byte the same image.
   */
  @Test
  void aptsOwnEmulatedInstallsBuildTheSameImage() throws Exception {
    Path lockFile =
        IMAGE.diskImage().resolveSibling(IMAGE.result().lockFile().orElseThrow().getFileName());
    Path work = ItBuilds.freshWorkDir("qemu-arm64-emulated-installs");
    Path out = work.resolve("out");
    BuildResult slow;
    // read at each install; the test classes of this run build one at a time
    System.setProperty("imagebuilder.nativeDebs", "false");
    try {
      slow =
          BoardImages.builder("qemu-arm64", "bookworm", "openssh-server")
              .build(RunConfiguration.into(out).withCacheDir(work.resolve("cache")));
    } finally {
      System.clearProperty("imagebuilder.nativeDebs");
    }
    for (String stage : List.of("board.kernel", "rootfs.packages")) {
      String stageLog = logOf(out, stage);
      assertFalse(stageLog.contains("native .debs"), "apt unpacked natively in " + stage);
      assertTrue(
          Pattern.compile("Get:\\d+ https?://").matcher(stageLog).find(),
          "apt did not download the .debs itself in " + stage);
    }
    assertEquals(
        JSON.readTree(lockFile.toFile()).get("packages"),
        JSON.readTree(slow.lockFile().orElseThrow().toFile()).get("packages"),
        "the same packages (else the archive moved between the two builds)");
    assertEquals(
        IMAGE.diskSha256(),
        Sha256.ofFile(out.resolve(IMAGE.diskImage().getFileName())),
        "the image apt's emulated installs built is byte-identical to the native .debs' one");
  }

  /** The log of the stage {@code type} of a build into {@code out}. */
  private static String logOf(Path out, String type) throws Exception {
    try (Stream<Path> files = Files.list(out.resolve("logs"))) {
      Path file =
          files
              .filter(f -> f.getFileName().toString().endsWith("-" + type + ".log"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no log of " + type + " in " + out));
      return Files.readString(file);
    }
  }

  /** The log of the stage at {@code index} (0-based) of a build into {@code out}. */
  private static String stageLog(Path out, int index, String type) throws Exception {
    return Files.readString(
        out.resolve(String.format(Locale.ROOT, "logs/%02d-%s.log", index + 1, type)));
  }
}
