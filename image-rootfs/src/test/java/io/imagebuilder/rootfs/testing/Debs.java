package io.imagebuilder.rootfs.testing;

import io.imagebuilder.rootfs.internal.deb.Posix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * The tests' one .deb builder: real packages with {@code dpkg-deb --build}, and hostile ones
 * written by hand (ar, control.tar.gz, data.tar), which dpkg-deb would refuse to make.
 */
public final class Debs {
  private Debs() {}

  /** {@return whether the tests run as root} (some fixtures need root's file owners) */
  public static boolean isRoot() {
    return Posix.isRoot();
  }

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
    return dpkgDebBuild(
        staging, dir.resolve(name + "_" + version + "_" + arch + ".deb"), "xz", true);
  }

  /** Runs {@code dpkg-deb --build} on {@code staging} (with DEBIAN/control) into {@code out}. */
  public static Path dpkgDebBuild(
      Path staging, Path out, String compression, boolean rootOwnerGroup)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of("dpkg-deb", "-Z" + compression));
    if (rootOwnerGroup) {
      argv.add("--root-owner-group");
    }
    argv.addAll(List.of("--build", staging.toString(), out.toString()));
    run(argv);
    return out;
  }

  /** Runs a host command, failing with its output when it fails; returns its output. */
  public static String run(List<String> argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + " failed:\n" + out);
    }
    return out;
  }

  /** A control file of {@code name} 1.0 for amd64. */
  public static String control(String name) {
    return "Package: "
        + name
        + "\nVersion: 1.0\nArchitecture: amd64\n"
        + "Maintainer: Test <test@example.org>\nDescription: fixture\n long text\n";
  }

  /** One entry of a hand-made tar. */
  public record Entry(String name, byte type, String linkName, byte[] content, int mode) {
    public static Entry dir(String name) {
      return new Entry(name, TarConstants.LF_DIR, null, null, 0755);
    }

    public static Entry file(String name, String content) {
      return new Entry(
          name, TarConstants.LF_NORMAL, null, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    public static Entry symlink(String name, String target) {
      return new Entry(name, TarConstants.LF_SYMLINK, target, null, 0777);
    }

    public static Entry hardLink(String name, String target) {
      return new Entry(name, TarConstants.LF_LINK, target, null, 0644);
    }

    public static Entry special(String name, byte type) {
      return new Entry(name, type, null, null, 0644);
    }
  }

  /** Writes a .deb by hand: ar of debian-binary, control.tar.gz and an uncompressed data.tar. */
  public static Path rawDeb(Path out, String packageName, List<Entry> entries) throws IOException {
    return rawDeb(out, packageName, List.of(), entries);
  }

  /**
   * Writes a .deb by hand whose control.tar.gz holds {@code ./}, {@code ./control} and then {@code
   * controlEntries}.
   */
  public static Path rawDeb(
      Path out, String packageName, List<Entry> controlEntries, List<Entry> entries)
      throws IOException {
    List<Entry> control =
        new ArrayList<>(List.of(Entry.dir("./"), Entry.file("./control", control(packageName))));
    control.addAll(controlEntries);
    return write(out, control, entries);
  }

  /**
   * A .deb with {@code control} as its control file, unchecked, and no files: for hostile fields
   * that {@code dpkg-deb --build} would refuse.
   */
  public static Path crafted(Path dir, String fileName, String control) throws IOException {
    return write(dir.resolve(fileName), List.of(Entry.file("./control", control)), List.of());
  }

  private static Path write(Path out, List<Entry> control, List<Entry> data) throws IOException {
    try (OutputStream os = Files.newOutputStream(out);
        ArArchiveOutputStream ar = new ArArchiveOutputStream(os)) {
      member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
      member(ar, "control.tar.gz", tar(control, true));
      member(ar, "data.tar", tar(data, false));
    }
    return out;
  }

  private static void member(ArArchiveOutputStream ar, String name, byte[] bytes)
      throws IOException {
    ar.putArchiveEntry(new ArArchiveEntry(name, bytes.length));
    ar.write(bytes);
    ar.closeArchiveEntry();
  }

  private static byte[] tar(List<Entry> entries, boolean gzip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStream os = gzip ? new GzipCompressorOutputStream(bytes) : bytes;
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Entry e : entries) {
        // the (name, type, preserveAbsolutePath) constructor keeps hostile names as given
        TarArchiveEntry t = new TarArchiveEntry(e.name(), e.type(), true);
        t.setMode(e.mode());
        if (e.linkName() != null) {
          t.setLinkName(e.linkName());
        }
        if (e.content() != null) {
          t.setSize(e.content().length);
        }
        tar.putArchiveEntry(t);
        if (e.content() != null) {
          tar.write(e.content());
        }
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
