package io.imagebuilder.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.arm.internal.boot.BoardKernelStage;
import io.imagebuilder.arm.internal.boot.InitramfsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MmdebstrapStageTest {
  private static final Board BOARD = Boards.find("qemu-arm64");
  private static final ImageSpec SPEC =
      ImageBuilder.forSeries("bookworm")
          .forBoard(BOARD)
          .withPackages("openssh-server", "zstd")
          .spec();
  private static final List<String> SOURCES =
      List.of(
          "deb http://deb.debian.org/debian bookworm main",
          "deb http://deb.debian.org/debian-security bookworm-security main");

  @Test
  void includesTheBoardsPackagesThenTheSpecsOnce() {
    List<String> expected = new ArrayList<>(BoardKernelStage.packages(BOARD));
    expected.add("openssh-server"); // zstd is a board package already
    assertEquals(expected, MmdebstrapStage.includes(BOARD, SPEC));
  }

  @Test
  void oneMmdebstrapRunWithTheSpecsSuiteArchitectureAndSources() {
    List<String> argv =
        MmdebstrapStage.argv(
            SPEC, BOARD, SOURCES, Path.of("/w/rootfs"), Path.of("/w/s.conf"), Path.of("/w/hook"));
    assertEquals(
        List.of(
            "mmdebstrap",
            "--mode=root",
            "--variant=minbase",
            "--architectures=arm64",
            "--components=main",
            "--include=" + String.join(",", MmdebstrapStage.includes(BOARD, SPEC)),
            "--skip=cleanup/apt/lists"),
        argv.subList(0, 7));
    List<String> tail = new ArrayList<>(List.of("bookworm", "/w/rootfs"));
    tail.addAll(SOURCES);
    assertEquals(tail, argv.subList(argv.size() - tail.size(), argv.size()));
    assertEquals(2, argv.stream().filter(a -> a.startsWith("--setup-hook=")).count());
  }

  /** The setup hooks, run as mmdebstrap runs them (sh -c, the target as $1), install both files. */
  @Test
  void theSetupHooksInstallTheInitramfsSettings(@TempDir Path dir) throws Exception {
    Path settings = Files.writeString(dir.resolve("settings"), InitramfsSettings.content(BOARD));
    Path hook = Files.writeString(dir.resolve("hook"), InitramfsSettings.hook(BOARD));
    Path target = Files.createDirectory(dir.resolve("target"));
    for (String arg : MmdebstrapStage.argv(SPEC, BOARD, SOURCES, target, settings, hook)) {
      if (arg.startsWith("--setup-hook=")) {
        Process p =
            new ProcessBuilder(
                    "sh", "-c", arg.substring("--setup-hook=".length()), "exec", target.toString())
                .inheritIO()
                .start();
        assertEquals(0, p.waitFor(), arg);
      }
    }
    Path conf = target.resolve(InitramfsSettings.PATH.substring(1));
    Path modules = target.resolve(InitramfsSettings.HOOK.substring(1));
    assertEquals(InitramfsSettings.content(BOARD), Files.readString(conf));
    assertTrue(Files.readString(conf).contains("MODULES=list"));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)));
    assertEquals(InitramfsSettings.hook(BOARD), Files.readString(modules));
    assertEquals(
        "rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(modules)));
  }

  @Test
  void aBoardWithoutModulesGetsOnlyTheSettingsHook() {
    List<String> argv =
        MmdebstrapStage.argv(
            SPEC, BOARD, SOURCES, Path.of("/w/rootfs"), Path.of("/w/s.conf"), null);
    assertEquals(1, argv.stream().filter(a -> a.startsWith("--setup-hook=")).count());
  }
}
