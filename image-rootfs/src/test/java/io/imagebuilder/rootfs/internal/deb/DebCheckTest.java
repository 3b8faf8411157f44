package io.imagebuilder.rootfs.internal.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.UnsafePackageException;
import io.imagebuilder.rootfs.testing.Debs;
import io.imagebuilder.rootfs.testing.Debs.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebCheckTest {
  @TempDir Path tmp;

  @Test
  void aPackageBuiltByDpkgDebWithEveryKindOfEntryPasses() throws Exception {
    Path s = tmp.resolve("staging");
    Files.createDirectories(s.resolve("DEBIAN"));
    Files.writeString(s.resolve("DEBIAN/control"), Debs.control("tool"));
    Files.writeString(s.resolve("DEBIAN/postinst"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(
        s.resolve("DEBIAN/postinst"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(s.resolve("DEBIAN/conffiles"), "/etc/tool.conf\n");
    Files.createDirectories(s.resolve("usr/lib/tool"));
    Files.createDirectories(s.resolve("etc"));
    Files.writeString(s.resolve("etc/tool.conf"), "conf");
    Files.writeString(s.resolve("usr/lib/tool/a"), "a");
    Files.createLink(s.resolve("usr/lib/tool/b"), s.resolve("usr/lib/tool/a"));
    Files.createSymbolicLink(s.resolve("usr/lib/tool/up"), Path.of("../../share")); // to /usr/share
    Files.createSymbolicLink(s.resolve("usr/lib/tool/abs"), Path.of("/etc/tool.conf"));
    Path deb = Debs.dpkgDebBuild(s, tmp.resolve("tool.deb"), "xz", true);

    DebCheck.check(DebFile.open(deb)); // no exception
  }

  @Test
  void dotDotIsRefused() throws Exception {
    assertRefused(
        List.of(Entry.dir("./"), Entry.file("./usr/../../x", "x")), "./usr/../../x", "'..'");
  }

  @Test
  void anAbsolutePathIsRefused() throws Exception {
    assertRefused(List.of(Entry.dir("./"), Entry.file("/tmp/x", "x")), "/tmp/x", "absolute path");
  }

  @Test
  void theRootAsAFileIsRefused() throws Exception {
    assertRefused(List.of(Entry.symlink(".", "/etc")), ".", "names the root");
  }

  @Test
  void aRelativeSymlinkClimbingAboveTheRootIsRefused() throws Exception {
    assertRefused(
        List.of(Entry.dir("./"), Entry.dir("./usr/"), Entry.symlink("./usr/up", "../../etc")),
        "./usr/up",
        "climbs above the root");
  }

  @Test
  void aSymlinkThatClimbsAndComesBackIsStillRefusedOnceItLeaves() throws Exception {
    // ../.. from /usr leaves the tree before usr/share brings it back: a host reader is already out
    assertRefused(
        List.of(Entry.dir("./"), Entry.symlink("./usr/x", "../../usr/share")),
        "./usr/x",
        "climbs above the root");
  }

  @Test
  void aPathThroughTheArchivesOwnSymlinkIsRefused() throws Exception {
    assertRefused(
        List.of(Entry.dir("./"), Entry.symlink("./etc", "/tmp"), Entry.file("./etc/evil", "x")),
        "./etc/evil",
        "goes through the symlink '/etc'");
  }

  @Test
  void aDirectoryOverTheArchivesOwnSymlinkIsRefused() throws Exception {
    assertRefused(
        List.of(Entry.dir("./"), Entry.symlink("./etc", "/tmp"), Entry.dir("./etc/")),
        "./etc/",
        "symlink '/etc'");
  }

  @Test
  void deviceNodesAreRefused() throws Exception {
    assertRefused(
        List.of(Entry.dir("./"), Entry.special("./dev/sda", TarConstants.LF_BLK)),
        "./dev/sda",
        "device node");
    assertRefused(
        List.of(Entry.dir("./"), Entry.special("./dev/mem", TarConstants.LF_CHR)),
        "./dev/mem",
        "device node");
  }

  @Test
  void aFifoIsRefused() throws Exception {
    assertRefused(
        List.of(Entry.dir("./"), Entry.special("./run/pipe", TarConstants.LF_FIFO)),
        "./run/pipe",
        "FIFO");
  }

  @Test
  void anUnknownTarTypeIsRefused() throws Exception {
    assertRefused(
        List.of(Entry.dir("./"), Entry.special("./v", (byte) 'Z')),
        "./v",
        "unsupported tar type 'Z'");
  }

  @Test
  void hardLinksOutsideOrToWhatTheArchiveDidNotShipAreRefused() throws Exception {
    assertRefused(
        List.of(Entry.dir("./"), Entry.hardLink("./shadow", "/etc/shadow")),
        "./shadow",
        "hard link to '/etc/shadow' outside the package");
    assertRefused(
        List.of(Entry.dir("./"), Entry.hardLink("./shadow", "../etc/shadow")),
        "./shadow",
        "outside the package");
    assertRefused(
        List.of(Entry.dir("./"), Entry.hardLink("./shadow", "./etc/shadow")),
        "./shadow",
        "not a file the package shipped before it");
    // shipped, but later: tar order matters, as for dpkg
    assertRefused(
        List.of(Entry.dir("./"), Entry.hardLink("./b", "./a"), Entry.file("./a", "a")),
        "./b",
        "not a file the package shipped before it");
    // a link to a symlink the package made would let a later write follow it
    assertRefused(
        List.of(Entry.dir("./"), Entry.symlink("./s", "/etc/shadow"), Entry.hardLink("./b", "./s")),
        "./b",
        "not a file");
  }

  @Test
  void oddControlArchiveEntriesAreRefused() throws Exception {
    assertControlRefused(
        Entry.symlink("./postinst", "/etc/shadow"), "./postinst", "a symlink to '/etc/shadow'");
    assertControlRefused(Entry.hardLink("./postrm", "./control"), "./postrm", "a hard link");
    assertControlRefused(
        Entry.special("./preinst", TarConstants.LF_CHR), "./preinst", "a device node");
    assertControlRefused(Entry.special("./config", TarConstants.LF_FIFO), "./config", "a FIFO");
    assertControlRefused(Entry.dir("./scripts/"), "./scripts/", "a directory");
    assertControlRefused(Entry.file("./../postinst", "x"), "./../postinst", "unexpected name");
    assertControlRefused(
        Entry.file("/var/lib/dpkg/info/x.postinst", "x"),
        "/var/lib/dpkg/info/x.postinst",
        "unexpected name");
    assertControlRefused(Entry.file("./list", "/etc/shadow\n"), "./list", "dpkg's own file list");
    assertControlRefused(Entry.file("./control", "Package: other\n"), "./control", "appears twice");
  }

  @Test
  void theExtractorRefusesTheSameShapesBeforeWritingAnything() throws Exception {
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
    Path deb =
        Debs.rawDeb(
            tmp.resolve("evil.deb"),
            "evil",
            List.of(Entry.symlink("./postinst", "/etc/shadow")),
            List.of(Entry.dir("./"), Entry.file("./a", "a")));

    UnsafePackageException e =
        assertThrows(
            UnsafePackageException.class,
            () -> new SafeExtractor().extract(DebFile.open(deb), rootfs, "evil"));

    assertEquals("./postinst", e.entry());
    try (Stream<Path> files = Files.list(rootfs)) {
      assertEquals(
          List.of(), files.toList(), "a bad control archive stops the unpack before data.tar");
    }
  }

  private void assertControlRefused(Entry entry, String name, String reason) throws Exception {
    Path deb =
        Debs.rawDeb(
            tmp.resolve("evil.deb"),
            "evil",
            List.of(entry),
            List.of(Entry.dir("./"), Entry.file("./usr/share/doc/evil", "x")));
    UnsafePackageException e =
        assertThrows(UnsafePackageException.class, () -> DebCheck.check(DebFile.open(deb)));
    assertNamed(e, deb, name, reason);
  }

  private void assertRefused(List<Entry> entries, String name, String reason) throws Exception {
    Path deb = Debs.rawDeb(tmp.resolve("evil.deb"), "evil", entries);
    UnsafePackageException e =
        assertThrows(UnsafePackageException.class, () -> DebCheck.check(DebFile.open(deb)));
    assertNamed(e, deb, name, reason);
  }

  private static void assertNamed(UnsafePackageException e, Path deb, String name, String reason) {
    assertEquals("evil", e.packageName());
    assertEquals("1.0", e.version());
    assertEquals(name, e.entry());
    assertTrue(e.reason().contains(reason), e.reason());
    assertEquals(
        "package 'evil' version 1.0 (" + deb + ") rejected: entry '" + name + "' " + e.reason(),
        e.getMessage());
  }
}
