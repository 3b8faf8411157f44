package io.imagebuilder.rootfs.internal.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.rootfs.testing.Debs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpkgDatabaseTest {
  @TempDir Path tmp;

  private DebFile build(String name, String extraControl) throws Exception {
    Path s = tmp.resolve("staging-" + name);
    Files.createDirectories(s.resolve("DEBIAN"));
    Files.createDirectories(s.resolve("etc"));
    Files.writeString(
        s.resolve("DEBIAN/control"),
        "Package: "
            + name
            + "\nVersion: 1.0-1\nArchitecture: amd64\n"
            + extraControl
            + "Maintainer: T <t@example.org>\nDepends: libc6\nDescription: fixture\n more\n");
    Files.writeString(s.resolve("DEBIAN/postinst"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(
        s.resolve("DEBIAN/postinst"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(s.resolve("DEBIAN/conffiles"), "/etc/" + name + ".conf\n");
    Files.writeString(
        s.resolve("DEBIAN/triggers"),
        "interest-noawait /usr/share/" + name + "\ninterest " + name + "-trigger\n");
    Files.writeString(s.resolve("etc/" + name + ".conf"), "x");
    return DebFile.open(Debs.dpkgDebBuild(s, tmp.resolve(name + ".deb"), "xz", true));
  }

  @Test
  void recordsAnUnpackedPackageThatDpkgReadsAsUnpacked() throws Exception {
    Path root = tmp.resolve("root");
    DpkgDatabase db = DpkgDatabase.init(root, "amd64");
    DebFile deb = build("hello", "Essential: yes\n");
    List<String> installed =
        new SafeExtractor().extract(deb, Files.createDirectories(root), "hello");

    db.addUnpacked(deb, installed);

    Path info = root.resolve("var/lib/dpkg/info");
    assertEquals("/.\n/etc\n/etc/hello.conf\n", Files.readString(info.resolve("hello.list")));
    assertEquals("rwxr-xr-x", perms(info.resolve("hello.postinst")));
    assertEquals("rw-r--r--", perms(info.resolve("hello.conffiles")));
    assertEquals("amd64\n", Files.readString(root.resolve("var/lib/dpkg/arch")));
    assertEquals(
        "Package: hello\nEssential: yes\nStatus: install ok unpacked\n"
            + "Maintainer: T <t@example.org>\nArchitecture: amd64\nVersion: 1.0-1\n"
            + "Depends: libc6\nConffiles:\n /etc/hello.conf newconffile\n"
            + "Description: fixture\n more\n\n",
        Files.readString(root.resolve("var/lib/dpkg/status")));
    assertEquals(
        "/usr/share/hello hello/noawait\n",
        Files.readString(root.resolve("var/lib/dpkg/triggers/File")));
    assertEquals("hello\n", Files.readString(root.resolve("var/lib/dpkg/triggers/hello-trigger")));
    // dpkg itself is the judge: it must see the package as unpacked (iU) with our files
    String status =
        Debs.run(
            List.of(
                "dpkg-query",
                "--admindir=" + root.resolve("var/lib/dpkg"),
                "-W",
                "-f=${db:Status-Abbrev}|${Package}|${Conffiles}\n"));
    assertEquals("iU |hello| /etc/hello.conf newconffile\n", status);
    String listed =
        Debs.run(
            List.of("dpkg-query", "--admindir=" + root.resolve("var/lib/dpkg"), "-L", "hello"));
    assertEquals("/.\n/etc\n/etc/hello.conf\n", listed);
  }

  @Test
  void namesInfoFilesWithTheArchitectureForMultiArchSame() throws Exception {
    Path root = tmp.resolve("root");
    DpkgDatabase db = DpkgDatabase.init(root, "amd64");
    DebFile deb = build("libhello1", "Multi-Arch: same\n");

    db.addUnpacked(deb, List.of("/."));
    db.addUnpacked(deb, List.of("/.")); // recording again replaces, never duplicates

    assertTrue(Files.exists(root.resolve("var/lib/dpkg/info/libhello1:amd64.list")));
    assertEquals(
        "/usr/share/libhello1 libhello1:amd64/noawait\n",
        Files.readString(root.resolve("var/lib/dpkg/triggers/File")));
    String status = Files.readString(root.resolve("var/lib/dpkg/status"));
    assertEquals(1, status.split("Package: libhello1\n", -1).length - 1, status);
    assertEquals(
        "/var/lib/dpkg/info/libhello1:amd64.postinst",
        DpkgDatabase.maintainerScript(deb, "postinst").orElseThrow());
  }

  /**
   * Real-world control bytes (libgdbm6's Description ends its first line in a space; unknown
   * fields; dpkg's field order differing from the control's): dpkg, rewriting the status file, must
   * leave our bytes as they are.
   */
  @Test
  void theStatusStanzaIsByteForByteWhatDpkgWrites() throws Exception {
    Path s = tmp.resolve("staging-gdbm");
    Files.createDirectories(s.resolve("DEBIAN"));
    Files.writeString(
        s.resolve("DEBIAN/control"),
        "Package: libgdbm6\nSource: gdbm\nVersion: 1.23-3\nArchitecture: amd64\n"
            + "Maintainer: Nicolas Mora <babelouest@debian.org>\nInstalled-Size: 129\n"
            + "Depends: libc6 (>= 2.34)\nSuggests: gdbm-l10n (= 1.23-3)\nSection: libs\n"
            + "Priority: optional\nMulti-Arch: same\nHomepage: https://gnu.org/software/gdbm\n"
            + "Original-Maintainer: Someone <s@example.org>\n"
            + "Description: GNU dbm database routines (runtime version) \n"
            + " GNU dbm ('gdbm') is a library of database functions \n"
            + " .\n"
            + " \tan indented line with a tab\n");
    DebFile deb = DebFile.open(Debs.dpkgDebBuild(s, tmp.resolve("gdbm.deb"), "xz", true));
    Path root = tmp.resolve("root");
    DpkgDatabase db = DpkgDatabase.init(root, "amd64");
    db.addUnpacked(deb, List.of("/."));
    Path status = root.resolve("var/lib/dpkg/status");
    String ours = Files.readString(status);
    assertTrue(
        ours.contains("\nDescription: GNU dbm database routines (runtime version) \n"), ours);

    // an empty selection set opens the database for writing: dpkg parses and rewrites status
    Debs.run(
        List.of(
            "sh",
            "-c",
            "dpkg --admindir='"
                + root.resolve("var/lib/dpkg")
                + "' --force-not-root --set-selections < /dev/null"));

    assertTrue(Files.exists(root.resolve("var/lib/dpkg/status-old")), "dpkg rewrote status");
    assertEquals(ours, Files.readString(status));
  }

  private static String perms(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
