package io.imagebuilder.rootfs.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Builds small real .deb fixtures with {@code dpkg-deb --build}. */
public final class Debs {
  private Debs() {}

  /**
   * A package {@code name_version_arch.deb} in {@code dir} holding {@code files} (image path to
   * content); files under a {@code bin/} directory are executable.
   */
  public static Path build(Path dir, String name, String version, String arch, Map<String, String> files)
      throws IOException, InterruptedException {
    Path staging = Files.createTempDirectory(dir, name + "-staging");
    Files.createDirectories(staging.resolve("DEBIAN"));
    Files.writeString(staging.resolve("DEBIAN/control"),
        "Package: " + name + "\nVersion: " + version + "\nArchitecture: " + arch + "\n"
            + "Maintainer: ImageBuilder tests <tests@imagebuilder.invalid>\n"
            + "Description: a test fixture\n made by the test that uses it\n");
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = staging.resolve(f.getKey().substring(1));
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
          f.getKey().contains("/bin/") ? "rwxr-xr-x" : "rw-r--r--"));
    }
    Path deb = dir.resolve(name + "_" + version + "_" + arch + ".deb");
    Process p = new ProcessBuilder(List.of("dpkg-deb", "--root-owner-group", "-Zxz", "--build", staging.toString(), deb.toString()))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("dpkg-deb failed: " + out);
    }
    return deb;
  }
}
