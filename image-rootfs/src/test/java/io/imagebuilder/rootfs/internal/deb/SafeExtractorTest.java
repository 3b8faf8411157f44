package io.imagebuilder.rootfs.internal.deb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.UnsafePackageException;
import io.imagebuilder.rootfs.testing.Debs;
import io.imagebuilder.rootfs.testing.Debs.Entry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeExtractorTest {
  private static final long MTIME = 1_600_000_000L;

  @TempDir Path tmp;
  Path rootfs;
  Path canary;

  @BeforeEach
  void setUp() throws Exception {
    rootfs = tmp.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("usr/bin"));
    Files.createSymbolicLink(rootfs.resolve("bin"), Path.of("usr/bin")); // merged /usr
    canary = tmp.resolve("canary");
    Files.writeString(canary, "canary");
  }

  /** A staging tree with the file kinds a package holds, owned by root except one file. */
  private Path staging(String name) throws Exception {
    Path s = tmp.resolve("staging-" + name);
    Files.createDirectories(s.resolve("DEBIAN"));
    Files.writeString(s.resolve("DEBIAN/control"), Debs.control(name));
    Files.writeString(s.resolve("DEBIAN/conffiles"), "/etc/tool.conf\n");
    Files.createDirectories(s.resolve("usr/bin"));
    Files.createDirectories(s.resolve("bin"));
    Files.createDirectories(s.resolve("etc"));
    Files.createDirectories(s.resolve("var/spool/drop"));
    Files.writeString(s.resolve("usr/bin/tool"), "#!/bin/sh\necho new\n");
    Files.setPosixFilePermissions(
        s.resolve("usr/bin/tool"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(s.resolve("usr/bin/suid"), "suid");
    Files.createLink(s.resolve("usr/bin/tool-again"), s.resolve("usr/bin/tool"));
    Files.createSymbolicLink(s.resolve("usr/bin/tool-link"), Path.of("tool"));
    Files.writeString(s.resolve("bin/old-place"), "through /bin");
    Files.writeString(s.resolve("etc/tool.conf"), "conf");
    Files.writeString(s.resolve("var/spool/drop/owned"), "owned");
    try (Stream<Path> all = Files.walk(s)) {
      for (Path p : all.toList()) {
        Files.getFileAttributeView(
                p, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
            .setTimes(FileTime.from(MTIME, java.util.concurrent.TimeUnit.SECONDS), null, null);
      }
    }
    if (Debs.isRoot()) {
      Posix.lchown(s.resolve("var/spool/drop/owned"), 1234, 2345);
    }
    Posix.chmod(s.resolve("usr/bin/suid"), 04755);
    Posix.chmod(s.resolve("var/spool/drop"), 01777);
    return s;
  }

  @Test
  void conffilesInPlaceLandUnderTheirNamesAndAsDpkgNew() throws Exception {
    Path staging = staging("tool");
    Posix.chmod(staging.resolve("etc/tool.conf"), 0640);
    Path deb = Debs.dpkgDebBuild(staging, tmp.resolve("tool.deb"), "xz", false);

    List<String> installed =
        new SafeExtractor().withConffilesInPlace().extract(DebFile.open(deb), rootfs, "tool");

    for (String name : List.of("etc/tool.conf", "etc/tool.conf.dpkg-new")) {
      Path p = rootfs.resolve(name);
      assertEquals("conf", Files.readString(p), name);
      assertEquals(0640, mode(p), name);
      assertEquals(MTIME, Files.getLastModifiedTime(p).toMillis() / 1000, name);
    }
    assertTrue(installed.contains("/etc/tool.conf"));
    assertFalse(installed.contains("/etc/tool.conf.dpkg-new"), "dpkg lists the conffile once");
    assertFalse(
        Files.isSameFile(rootfs.resolve("etc/tool.conf"), rootfs.resolve("etc/tool.conf.dpkg-new")),
        "two files, so dpkg's rename of .dpkg-new replaces the other");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "xz", "zstd", "none"})
  void extractsEveryKindOfEntryAsDpkgDoes(String compression) throws Exception {
    Path deb = Debs.dpkgDebBuild(staging("tool"), tmp.resolve("tool.deb"), compression, false);

    List<String> installed = new SafeExtractor().extract(DebFile.open(deb), rootfs, "tool");

    assertEquals(archiveOrder(deb), installed);
    assertEquals(
        List.of("/.", "/bin", "/bin/old-place", "/etc", "/etc/tool.conf", "/usr", "/usr/bin"),
        installed.subList(0, 7));
    assertEquals("#!/bin/sh\necho new\n", Files.readString(rootfs.resolve("usr/bin/tool")));
    assertEquals(0755, mode(rootfs.resolve("usr/bin/tool")));
    assertEquals(04755, mode(rootfs.resolve("usr/bin/suid")));
    assertEquals(01777, mode(rootfs.resolve("var/spool/drop")));
    assertEquals("tool", Files.readSymbolicLink(rootfs.resolve("usr/bin/tool-link")).toString());
    assertEquals(
        Files.getAttribute(rootfs.resolve("usr/bin/tool"), "unix:ino"),
        Files.getAttribute(rootfs.resolve("usr/bin/tool-again"), "unix:ino"));
    assertTrue(Files.isSymbolicLink(rootfs.resolve("bin")), "the /bin symlink was kept");
    assertEquals("through /bin", Files.readString(rootfs.resolve("usr/bin/old-place")));
    assertEquals("conf", Files.readString(rootfs.resolve("etc/tool.conf.dpkg-new")));
    assertFalse(Files.exists(rootfs.resolve("etc/tool.conf")), "conffiles wait as .dpkg-new");
    assertEquals(
        MTIME * 1000, Files.getLastModifiedTime(rootfs.resolve("usr/bin/suid")).toMillis());
    assertEquals(
        MTIME * 1000,
        Files.getLastModifiedTime(rootfs.resolve("usr/bin/tool-link"), LinkOption.NOFOLLOW_LINKS)
            .toMillis());
    if (Debs.isRoot()) {
      assertEquals(1234, Files.getAttribute(rootfs.resolve("var/spool/drop/owned"), "unix:uid"));
      assertEquals(2345, Files.getAttribute(rootfs.resolve("var/spool/drop/owned"), "unix:gid"));
    }
  }

  @Test
  void packagesTooBigToDecodeAheadInMemoryAreStreamedWithTheSameResult() throws Exception {
    Path s = tmp.resolve("big");
    Files.createDirectories(s.resolve("DEBIAN"));
    Files.createDirectories(s.resolve("usr/share/big"));
    Files.writeString(s.resolve("DEBIAN/control"), Debs.control("big"));
    byte[] blob = new byte[200_000];
    new java.util.Random(7).nextBytes(blob);
    Files.write(s.resolve("usr/share/big/blob"), blob);
    DebFile big = DebFile.open(Debs.dpkgDebBuild(s, tmp.resolve("big.deb"), "xz", true));
    Path streamed = Files.createDirectories(tmp.resolve("streamed"));
    List<String> installed = new ArrayList<>();
    new SafeExtractor(false)
        .decodingAheadAtMost(1024)
        .extractAll(List.of(big), streamed, 2, (deb, paths) -> installed.addAll(paths));
    assertArrayEquals(blob, Files.readAllBytes(streamed.resolve("usr/share/big/blob")));
    assertEquals(
        List.of("/.", "/usr", "/usr/share", "/usr/share/big", "/usr/share/big/blob"), installed);
  }

  @Test
  void replacesAFileByRenameSoTheOldInodeIsNeverTruncated() throws Exception {
    Files.writeString(rootfs.resolve("usr/bin/tool"), "old binary");
    Files.createLink(tmp.resolve("still-running"), rootfs.resolve("usr/bin/tool"));
    Path deb = Debs.dpkgDebBuild(staging("tool"), tmp.resolve("tool.deb"), "xz", true);

    new SafeExtractor().extract(DebFile.open(deb), rootfs, "tool");

    assertEquals("#!/bin/sh\necho new\n", Files.readString(rootfs.resolve("usr/bin/tool")));
    assertEquals("old binary", Files.readString(tmp.resolve("still-running")));
    try (Stream<Path> left = Files.list(rootfs.resolve("usr/bin"))) {
      assertTrue(left.noneMatch(p -> p.toString().endsWith(".ib-new")), "no temporary left");
    }
  }

  @Test
  void keepsAnExistingDirectoryAndItsMode() throws Exception {
    Files.createDirectories(rootfs.resolve("var/spool/drop"));
    Posix.chmod(rootfs.resolve("var/spool/drop"), 0700);
    Path deb = Debs.dpkgDebBuild(staging("tool"), tmp.resolve("tool.deb"), "gzip", true);

    new SafeExtractor().extract(DebFile.open(deb), rootfs, "tool");

    assertEquals(0700, mode(rootfs.resolve("var/spool/drop")));
  }

  @Test
  void rejectsDotDot() throws Exception {
    assertRejected(
        List.of(Entry.dir("./"), Entry.file("./../canary", "pwned")), "./../canary", "'..'");
  }

  @Test
  void rejectsAbsolutePaths() throws Exception {
    assertRejected(
        List.of(Entry.dir("./"), Entry.file(canary.toString(), "pwned")),
        canary.toString(),
        "absolute");
  }

  @Test
  void rejectsAPathThroughASymlinkTheSamePackageMade() throws Exception {
    assertRejected(
        List.of(
            Entry.dir("./"), Entry.symlink("./etc", "/etc"), Entry.file("./etc/passwd", "pwned")),
        "./etc/passwd",
        "symlink");
    assertTrue(Files.isSymbolicLink(rootfs.resolve("etc")));
  }

  @Test
  void rejectsAResolutionThatClimbsOutOfTheRootfs() throws Exception {
    Files.createSymbolicLink(rootfs.resolve("up"), Path.of("../../../../.."));
    assertRejected(
        List.of(Entry.dir("./"), Entry.file("./up/canary", "pwned")), "./up/canary", "outside");
  }

  @Test
  void followsAbsoluteSymlinksInsideTheRootfsNotTheHost() throws Exception {
    Files.createDirectories(rootfs.resolve("real-etc"));
    Files.createSymbolicLink(rootfs.resolve("etc"), Path.of("/real-etc"));
    Path deb =
        Debs.rawDeb(
            tmp.resolve("p.deb"),
            "p",
            List.of(Entry.dir("./"), Entry.dir("./etc/"), Entry.file("./etc/passwd", "inside")));

    new SafeExtractor().extract(DebFile.open(deb), rootfs, "p");

    assertEquals("inside", Files.readString(rootfs.resolve("real-etc/passwd")));
  }

  @Test
  void rejectsDeviceNodes() throws Exception {
    assertRejected(
        List.of(Entry.dir("./"), Entry.special("./dev-sda", TarConstants.LF_BLK)),
        "./dev-sda",
        "device");
    assertRejected(
        List.of(Entry.dir("./"), Entry.special("./tty", TarConstants.LF_CHR)), "./tty", "device");
  }

  @Test
  void rejectsFifos() throws Exception {
    assertRejected(
        List.of(Entry.dir("./"), Entry.special("./pipe", TarConstants.LF_FIFO)), "./pipe", "FIFO");
  }

  @Test
  void rejectsHardLinksToFilesOutsideThePackage() throws Exception {
    assertRejected(
        List.of(Entry.dir("./"), Entry.hardLink("./shadow", "/etc/shadow")),
        "./shadow",
        "hard link");
    assertRejected(
        List.of(Entry.dir("./"), Entry.hardLink("./shadow", "./etc/shadow")),
        "./shadow",
        "before it");
    assertFalse(Files.exists(rootfs.resolve("shadow")));
  }

  private void assertRejected(List<Entry> entries, String entry, String reason) throws Exception {
    long passwd = Files.getLastModifiedTime(Path.of("/etc/passwd")).toMillis();
    long shadow = Files.getLastModifiedTime(Path.of("/etc/shadow")).toMillis();
    Path deb = Debs.rawDeb(tmp.resolve("evil.deb"), "evil", entries);

    UnsafePackageException e =
        assertThrows(
            UnsafePackageException.class,
            () -> new SafeExtractor().extract(DebFile.open(deb), rootfs, "evil"));

    assertTrue(e.getMessage().contains("'evil'"), e.getMessage());
    assertTrue(e.getMessage().contains("'" + entry + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertEquals("canary", Files.readString(canary));
    assertEquals(passwd, Files.getLastModifiedTime(Path.of("/etc/passwd")).toMillis());
    assertEquals(shadow, Files.getLastModifiedTime(Path.of("/etc/shadow")).toMillis());
    try (Stream<Path> outside = Files.list(tmp)) {
      assertEquals(
          List.of("canary", "evil.deb", "rootfs"),
          outside.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  /** The paths in the .deb's data.tar as the host's tar lists them, in dpkg's .list form. */
  private List<String> archiveOrder(Path deb) throws Exception {
    String names =
        Debs.run(List.of("sh", "-c", "dpkg-deb --fsys-tarfile \"$0\" | tar -t", deb.toString()));
    List<String> result = new ArrayList<>();
    for (String n : names.lines().toList()) {
      String p = n.replaceFirst("^\\./", "/").replaceFirst("/$", "");
      result.add(p.isEmpty() ? "/." : p);
    }
    return result;
  }

  private static int mode(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
