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
  public static Path build(
      Path dir, String name, String version, String arch, Map<String, String> files)
      throws IOException, InterruptedException {
    Path staging = Files.createTempDirectory(dir, name + "-staging");
    Files.createDirectories(staging.resolve("DEBIAN"));
    Files.writeString(
        staging.resolve("DEBIAN/control"),
        "Package: "
            + name
            + "\nVersion: "
            + version
            + "\nArchitecture: "
            + arch
            + "\n"
            + "Maintainer: ImageBuilder tests <tests@imagebuilder.invalid>\n"
            + "Description: a test fixture\n made by the test that uses it\n");
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = staging.resolve(f.getKey().substring(1));
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(
          p,
          PosixFilePermissions.fromString(
              f.getKey().contains("/bin/") ? "rwxr-xr-x" : "rw-r--r--"));
    }
    Path deb = dir.resolve(name + "_" + version + "_" + arch + ".deb");
    Process p =
        new ProcessBuilder(
                List.of(
                    "dpkg-deb",
                    "--root-owner-group",
                    "-Zxz",
                    "--build",
                    staging.toString(),
                    deb.toString()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("dpkg-deb failed: " + out);
    }
    return deb;
  }

  /**
   * A .deb assembled directly (ar, control.tar.gz, an empty data.tar.gz) with {@code control} as
   * its control file, unchecked: for hostile fields that {@code dpkg-deb --build} would refuse.
   */
  public static Path crafted(Path dir, String fileName, String control) throws IOException {
    Path deb = dir.resolve(fileName);
    try (var ar =
        new org.apache.commons.compress.archivers.ar.ArArchiveOutputStream(
            Files.newOutputStream(deb))) {
      member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
      member(
          ar,
          "control.tar.gz",
          tarGz(Map.of("./control", control.getBytes(StandardCharsets.UTF_8))));
      member(ar, "data.tar.gz", tarGz(Map.of()));
    }
    return deb;
  }

  private static void member(
      org.apache.commons.compress.archivers.ar.ArArchiveOutputStream ar, String name, byte[] bytes)
      throws IOException {
    ar.putArchiveEntry(
        new org.apache.commons.compress.archivers.ar.ArArchiveEntry(name, bytes.length));
    ar.write(bytes);
    ar.closeArchiveEntry();
  }

  private static byte[] tarGz(Map<String, byte[]> files) throws IOException {
    var bytes = new java.io.ByteArrayOutputStream();
    try (var tar =
        new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
            new java.util.zip.GZIPOutputStream(bytes))) {
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(f.getKey());
        entry.setSize(f.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
