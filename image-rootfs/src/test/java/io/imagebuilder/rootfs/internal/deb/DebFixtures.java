package io.imagebuilder.rootfs.internal.deb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Builds .deb fixtures: real ones with dpkg-deb, hostile ones by hand (dpkg-deb refuses them).
 * Public for the integration tests that hand hostile packages to a real build.
 */
public final class DebFixtures {
  private DebFixtures() {}

  static boolean isRoot() {
    return Posix.isRoot();
  }

  /** Runs {@code dpkg-deb --build} on {@code staging} (with DEBIAN/control) into {@code out}. */
  static Path dpkgDebBuild(Path staging, Path out, String compression, boolean rootOwnerGroup)
      throws Exception {
    List<String> argv = new ArrayList<>(List.of("dpkg-deb", "-Z" + compression));
    if (rootOwnerGroup) {
      argv.add("--root-owner-group");
    }
    argv.addAll(List.of("--build", staging.toString(), out.toString()));
    run(argv);
    return out;
  }

  static String run(List<String> argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + " failed:\n" + out);
    }
    return out;
  }

  public static String control(String name) {
    return "Package: "
        + name
        + "\nVersion: 1.0\nArchitecture: amd64\n"
        + "Maintainer: Test <test@example.org>\nDescription: fixture\n long text\n";
  }

  /** One entry of a hand-made data.tar. */
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
    List<Entry> controlTar =
        new ArrayList<>(List.of(Entry.dir("./"), Entry.file("./control", control(packageName))));
    controlTar.addAll(controlEntries);
    byte[] control = tar(controlTar, true);
    byte[] data = tar(entries, false);
    try (OutputStream os = Files.newOutputStream(out);
        ArArchiveOutputStream ar = new ArArchiveOutputStream(os)) {
      addMember(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
      addMember(ar, "control.tar.gz", control);
      addMember(ar, "data.tar", data);
    }
    return out;
  }

  private static void addMember(ArArchiveOutputStream ar, String name, byte[] bytes)
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
