package io.imagebuilder.rootfs.internal.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacks the real bookworm essential set natively, writes the dpkg database, then runs {@code dpkg
 * --configure -a} in a chroot: every package must end up {@code ii}. Needs root, mmdebstrap (only
 * to download the .debs) and http://deb.debian.org.
 */
class NativeUnpackIT {
  @TempDir Path tmp;

  @Test
  void essentialSetConfiguresAfterNativeUnpack() throws Exception {
    List<Path> debs = essentialDebs();
    Path root = tmp.resolve("root");
    Files.createDirectories(root);
    // merged /usr, as the bootstrap prepares it before unpacking
    for (String dir : List.of("bin", "sbin", "lib", "lib64")) {
      Files.createDirectories(root.resolve("usr/" + dir));
      Files.createSymbolicLink(root.resolve(dir), Path.of("usr/" + dir));
    }
    DpkgDatabase db = DpkgDatabase.init(root, "amd64");
    SafeExtractor extractor = new SafeExtractor();
    List<DebFile> all = new ArrayList<>();
    for (Path deb : debs) {
      all.add(DebFile.open(deb));
    }
    List<DebFile> preinsts = new ArrayList<>();
    long start = System.nanoTime();
    extractor.extractAll(
        all,
        root,
        Runtime.getRuntime().availableProcessors(),
        (d, installed) -> {
          db.addUnpacked(d, installed);
          if (DpkgDatabase.maintainerScript(d, "preinst").isPresent()) {
            // base-passwd first: its preinst creates /etc/passwd and /etc/group
            preinsts.add(d.packageName().equals("base-passwd") ? 0 : preinsts.size(), d);
          }
        });
    double seconds = (System.nanoTime() - start) / 1e9;
    long bytes = du(root);
    System.out.printf(
        "unpacked %d packages, %.1f MB in %.2f s (%.0f MB/s)%n",
        debs.size(), bytes / 1e6, seconds, bytes / 1e6 / seconds);

    Path proc = root.resolve("proc");
    Files.createDirectories(proc);
    run(List.of("mount", "-t", "proc", "proc", proc.toString()));
    try {
      for (DebFile d : preinsts) {
        run(
            List.of(
                "chroot",
                root.toString(),
                "/usr/bin/env",
                "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                "LC_ALL=C.UTF-8",
                "DEBIAN_FRONTEND=noninteractive",
                "DEBCONF_NONINTERACTIVE_SEEN=true",
                "DPKG_MAINTSCRIPT_PACKAGE=" + d.packageName(),
                "DPKG_MAINTSCRIPT_NAME=preinst",
                "DPKG_MAINTSCRIPT_ARCH=" + d.architecture(),
                "DPKG_ROOT=",
                DpkgDatabase.maintainerScript(d, "preinst").orElseThrow(),
                "install"));
      }
      String out =
          run(
              List.of(
                  "chroot",
                  root.toString(),
                  "/usr/bin/env",
                  "-i",
                  "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                  "LC_ALL=C.UTF-8",
                  "DEBIAN_FRONTEND=noninteractive",
                  "DEBCONF_NONINTERACTIVE_SEEN=true",
                  "dpkg",
                  "--configure",
                  "-a"));
      System.out.println(out);
      String status =
          run(
              List.of(
                  "chroot",
                  root.toString(),
                  "/usr/bin/env",
                  "-i",
                  "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                  "dpkg-query",
                  "-W",
                  "-f",
                  "${db:Status-Abbrev}${binary:Package}\n"));
      List<String> lines = status.lines().toList();
      assertEquals(debs.size(), lines.size(), status);
      List<String> notInstalled = lines.stream().filter(l -> !l.startsWith("ii ")).toList();
      assertTrue(notInstalled.isEmpty(), "not ii: " + notInstalled);
    } finally {
      run(List.of("umount", proc.toString()));
    }
  }

  private static List<Path> essentialDebs() throws Exception {
    Path dir = Path.of(System.getProperty("ib.it.debs", "target/it-debs-essential"));
    if (!Files.isDirectory(dir) || list(dir).isEmpty()) {
      Files.createDirectories(dir);
      run(
          List.of(
              "mmdebstrap",
              "--variant=essential",
              "--skip=download/empty,essential/unlink",
              "--customize-hook=sync-out /var/cache/apt/archives " + dir.toAbsolutePath(),
              "bookworm",
              "/dev/null",
              "http://deb.debian.org/debian"));
    }
    return list(dir);
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".deb")).sorted().toList();
    }
  }

  private static long du(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  static String run(List<String> argv) throws Exception {
    Process p = new ProcessBuilder(new ArrayList<>(argv)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + " failed:\n" + out);
    }
    return out;
  }
}
