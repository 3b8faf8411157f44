package io.imagebuilder.arm.internal.boot;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.spec.Architecture;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Rootfs directories for integration tests, made with mmdebstrap (a test fixture tool only, until
 * our own bootstrap is merged) and cached under $IMAGEBUILDER_TEST_CACHE (default
 * /var/tmp/imagebuilder-test-cache), keyed by the mmdebstrap command line, so a rerun is fast.
 */
final class MmdebstrapFixture {
  static final String MIRROR = "http://deb.debian.org/debian";

  private MmdebstrapFixture() {}

  static Path cacheDir() {
    String env = System.getenv("IMAGEBUILDER_TEST_CACHE");
    return Path.of(env == null || env.isBlank() ? "/var/tmp/imagebuilder-test-cache" : env);
  }

  /** The argv that makes the rootfs directory {@code out}. */
  static List<String> command(Board board, List<String> packages, Path out) {
    // The same initramfs settings board.kernel writes, before the kernel is installed.
    String setup = "mkdir -p \"$1/etc/initramfs-tools/conf.d\""
        + " && printf '%s' '" + InitramfsSettings.content(board).replace("'", "") + "' > \"$1"
        + InitramfsSettings.PATH + "\"";
    String hook = InitramfsSettings.hook(board);
    if (hook != null) {
      setup += " && mkdir -p \"$1/etc/initramfs-tools/hooks\" && printf '%s' '" + hook.replace("'", "") + "' > \"$1" + InitramfsSettings.HOOK + "\""
          + " && chmod 755 \"$1" + InitramfsSettings.HOOK + "\"";
    }
    return new ArrayList<>(List.of(
        "mmdebstrap", "--variant=minbase", "--architectures=" + board.architecture().debianName(),
        "--components=" + String.join(",", board.components()),
        "--include=" + String.join(",", packages),
        "--setup-hook=" + setup,
        "bookworm", out.toString(), MIRROR));
  }

  /** The cached rootfs directory for these inputs, made first if missing; never changed by tests. */
  static Path rootfs(Board board, List<String> packages) throws Exception {
    Architecture arch = board.architecture();
    Path dir = cacheDir();
    Files.createDirectories(dir);
    List<String> keyArgv = command(board, packages, Path.of("OUT"));
    String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(String.join("\0", keyArgv).getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    Path tar = dir.resolve("rootfs-" + arch.debianName() + "-" + key);
    try (FileChannel lockFile = FileChannel.open(dir.resolve(tar.getFileName() + ".lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock lock = lockFile.lock()) {
      if (Files.isDirectory(tar)) {
        return tar;
      }
      Path part = dir.resolve(tar.getFileName() + ".part");
      delete(part);
      long t0 = System.nanoTime();
      Path log = dir.resolve(tar.getFileName() + ".log");
      Process p = new ProcessBuilder(command(board, packages, part))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      int rc = p.waitFor();
      if (rc != 0) {
        throw new IOException("mmdebstrap failed with " + rc + "; see " + log);
      }
      Files.move(part, tar, StandardCopyOption.ATOMIC_MOVE);
      System.out.printf("fixture %s made in %.0f s%n", tar.getFileName(), (System.nanoTime() - t0) / 1e9);
      return tar;
    }
  }

  /** Copies a cached rootfs to a new directory, keeping owners, modes, links and xattrs. */
  static void copy(Path rootfs, Path dir) throws Exception {
    run(List.of("cp", "-a", "--reflink=auto", rootfs.toString(), dir.toString()));
  }

  /**
   * Removes what rootfs.finalise (image-rootfs) removes that the board stage's apt run leaves
   * behind: logs and apt's binary caches, which hold times.
   */
  static void finalise(Path root) throws Exception {
    run(List.of("sh", "-c", "rm -rf \"$1\"/var/log/apt/* \"$1\"/var/log/dpkg.log \"$1\"/var/cache/apt/*.bin"
        + " \"$1\"/var/cache/ldconfig/aux-cache \"$1\"/var/lib/dpkg/*-old \"$1\"/var/cache/debconf/*-old", "sh", root.toString()));
  }

  /** Clamps every mtime, as the finalise stage does. */
  static void clampTimes(Path root, long epoch) throws Exception {
    run(List.of("find", root.toString(), "-exec", "touch", "--no-dereference", "-d", "@" + epoch, "{}", "+"));
  }

  /** Deletes a test directory without crossing into another filesystem. */
  static void delete(Path dir) throws Exception {
    if (dir != null && Files.exists(dir) && System.getenv("IMAGEBUILDER_TEST_KEEP") == null) {
      run(List.of("rm", "-rf", "--one-file-system", dir.toString()));
    }
  }

  static String run(List<String> argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", argv) + " failed: " + out);
    }
    return out;
  }
}
