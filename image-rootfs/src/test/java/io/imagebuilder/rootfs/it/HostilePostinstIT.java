package io.imagebuilder.rootfs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.rootfs.testing.Debs;
import io.imagebuilder.rootfs.testing.Debs.Entry;
import io.imagebuilder.rootfs.testing.ItEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real bookworm build as root with a local .deb whose postinst attacks the host from inside the
 * target: it writes through {@code /proc/1/root}, mounts a tmpfs, kills a host process, leaves a
 * chroot the classic way (a second chroot and {@code ..}) and writes there, connects to a host on
 * the internet, writes the hostname and {@code /proc/sysrq-trigger}, and calls reboot(2). Each
 * attempt's outcome is recorded in the image.
 *
 * <p>The design: a maintainer script that tries this gets nothing and the build goes on (dpkg sees
 * the postinst succeed; refusing a package for what its scripts try is not the sandbox's job). So
 * the build succeeds, the record says every attempt was refused or stayed inside the target, and
 * the host is as before: no marker outside the target, the host's process alive, the host's mount
 * table and hostname unchanged.
 *
 * <p>Safety: the postinst first compares its PID namespace with the host's (this JVM's, passed in
 * by this test). In the host's, it writes "NOT SANDBOXED" and exits 1 before any attempt, so the
 * build and this test fail without touching the host; the hostname, sysrq and reboot attempts never
 * run there.
 */
class HostilePostinstIT {
  private static final String RECORD = "var/lib/ib-hostile/record";

  @TempDir static Path temp;

  @Test
  void aHostilePostinstChangesNothingOnTheHostAndTheBuildGoesOn() throws Exception {
    String id = UUID.randomUUID().toString();
    Path marker = Path.of("/tmp/ib-hostile-" + id);
    // the namespace the build itself runs in (this JVM's: PID 1's may be unreadable here)
    String hostPidNs = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
    String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    String address = InetAddress.getByName("deb.debian.org").getHostAddress();
    Process sleeper = new ProcessBuilder("sleep", "3600").start();
    try {
      Set<String> mountsBefore = hostMounts();
      Path deb =
          Debs.rawDeb(
              Files.createDirectories(temp.resolve("debs")).resolve("ib-hostile_1.0_amd64.deb"),
              "ib-hostile",
              List.of(
                  new Entry(
                      "./postinst",
                      TarConstants.LF_NORMAL,
                      null,
                      postinst(hostPidNs, marker.toString(), sleeper.pid(), address)
                          .getBytes(StandardCharsets.UTF_8),
                      0755)),
              List.of(Entry.dir("./")));

      BuildResult result =
          ImageBuilder.forSeries("bookworm")
              .forArchitecture(Architecture.AMD64)
              .withLocalPackages(deb)
              .withPackages("ib-hostile")
              .build(ItEnvironment.run(temp.resolve("out")));

      assertEquals("native", result.executor());
      Path root = ItEnvironment.extract(result.artifacts().get(0).file(), temp.resolve("root"));
      String text = Files.readString(root.resolve(RECORD));
      System.out.println("hostile postinst record:\n" + text);
      System.out.println(
          "its errors:\n" + Files.readString(root.resolve("var/lib/ib-hostile/errors")));
      Map<String, String> record = parse(text);
      assertFalse(text.contains("NOT SANDBOXED"), text);

      // its PID namespace is not the host's, and PID 1 there has the target as its root
      assertFalse(record.get("pidns").equals(hostPidNs), text);
      assertEquals("/", record.get("proc1root"), text);
      // what it wrote through /proc/1/root landed in the target
      assertEquals("written", record.get("procroot"), text);
      assertEquals("yes", record.get("procroot-in-target"), text);
      assertTrue(record.get("mount").startsWith("refused"), text);
      assertTrue(record.get("kill").startsWith("refused"), text);
      // the double chroot climbs no higher than the target's root (or fails)
      assertTrue(record.get("chroot-root").contains("var"), text);
      assertEquals("yes", record.get("chroot-in-target"), text);
      assertTrue(record.get("network").startsWith("refused"), text);
      assertTrue(record.get("hostname").startsWith("refused"), text);
      assertTrue(
          record.get("sysrq").startsWith("refused") || record.get("sysrq").equals("absent"), text);
      assertTrue(record.get("reboot").startsWith("refused"), text);

      for (String suffix : List.of("-procroot", "-chroot")) {
        Path m = Path.of(marker + suffix);
        assertFalse(Files.exists(m, LinkOption.NOFOLLOW_LINKS), m + " was written on the host");
      }
      assertTrue(sleeper.isAlive(), "the host's sleep process was killed");
      assertEquals(hostname, Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
      assertEquals(mountsBefore, hostMounts(), "the host's mount table changed");
    } finally {
      sleeper.destroyForcibly();
      for (String suffix : List.of("-procroot", "-chroot")) {
        Files.deleteIfExists(Path.of(marker + suffix)); // only if the test failed already
      }
    }
  }

  /**
   * The host's mount points outside /work and /tmp (other builds on this host, in other worktrees,
   * mount there meanwhile) and every one under this test's directory.
   */
  private static Set<String> hostMounts() throws IOException {
    String mine = temp.toRealPath().toString();
    Set<String> points = new TreeSet<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String point = line.split(" ")[4];
      if (point.startsWith(mine) || !(point.startsWith("/work/") || point.startsWith("/tmp/"))) {
        points.add(point + " " + line.split(" - ")[1].split(" ")[0]);
      }
    }
    return points;
  }

  /** "name: value" lines; the first value of each name. */
  private static Map<String, String> parse(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(": ");
      if (colon > 0) {
        out.putIfAbsent(line.substring(0, colon), line.substring(colon + 2).strip());
      }
    }
    for (String key :
        List.of(
            "pidns",
            "proc1root",
            "procroot",
            "procroot-in-target",
            "mount",
            "kill",
            "chroot-root",
            "chroot-in-target",
            "network",
            "hostname",
            "sysrq",
            "reboot")) {
      if (!out.containsKey(key)) {
        throw new AssertionError("the record has no '" + key + "' line:\n" + text);
      }
    }
    return out;
  }

  /**
   * The postinst, values substituted by this test (never from elsewhere). perl-base (in every
   * Debian image) makes the system calls no minbase tool does: the double chroot and reboot(2) (169
   * on amd64, with LINUX_REBOOT_CMD_RESTART).
   */
  private static String postinst(String hostPidNs, String marker, long sleeper, String address) {
    return String.join(
            "\n",
            "#!/bin/sh",
            "R=/" + RECORD,
            "E=/var/lib/ib-hostile/errors",
            "mkdir -p /var/lib/ib-hostile",
            ": > $R",
            ": > $E",
            "rec() { echo \"$1: $2\" >> $R; }",
            "# the guard: nothing below may run in the host's PID namespace",
            "if [ \"$(readlink /proc/self/ns/pid)\" = '" + hostPidNs + "' ]; then",
            "  echo 'NOT SANDBOXED' >> $R",
            "  exit 1",
            "fi",
            "rec pidns \"$(readlink /proc/self/ns/pid)\"",
            "rec proc1root \"$(readlink /proc/1/root)\"",
            "if echo pwned > /proc/1/root"
                + marker
                + "-procroot 2>> $E; then rec procroot written;"
                + " else rec procroot refused; fi",
            "if [ -e "
                + marker
                + "-procroot ]; then rec procroot-in-target yes;"
                + " else rec procroot-in-target no; fi",
            "mkdir -p /var/lib/ib-hostile/mnt",
            "if mount -t tmpfs ib-hostile /var/lib/ib-hostile/mnt 2>> $E; then rec mount done;"
                + " umount /var/lib/ib-hostile/mnt; else rec mount refused; fi",
            "if kill -KILL " + sleeper + " 2>> $E; then rec kill done; else rec kill refused; fi",
            "perl -e '"
                + "mkdir \"/var/lib/ib-hostile/esc\"; "
                + "chroot \"/var/lib/ib-hostile/esc\" or print \"chroot1: $!\\n\"; "
                + "chdir \"..\" for 1..64; "
                + "chroot \".\" or print \"chroot2: $!\\n\"; "
                + "opendir(my $d, \"/\"); "
                + "print \"chroot-root: \", join(\",\", sort grep { !/^\\./ } readdir $d), \"\\n\"; "
                + "if (open(my $f, \">\", \""
                + marker
                + "-chroot\")) { print $f \"pwned\"; close $f; print \"chroot: written\\n\" } "
                + "else { print \"chroot: refused $!\\n\" }' >> $R 2>> $E",
            "if [ -e "
                + marker
                + "-chroot ]; then rec chroot-in-target yes;"
                + " else rec chroot-in-target no; fi",
            "perl -MIO::Socket::INET -e '"
                + "my $s = IO::Socket::INET->new(PeerAddr => \""
                + address
                + "\", PeerPort => 80, Timeout => 5); "
                + "print $s ? \"network: connected\\n\" : \"network: refused $@\\n\"' >> $R 2>> $E",
            "if echo evil > /proc/sys/kernel/hostname 2>> $E; then rec hostname done;"
                + " else rec hostname refused; fi",
            "if [ -e /proc/sysrq-trigger ]; then",
            "  if echo h > /proc/sysrq-trigger 2>> $E; then rec sysrq done; else rec sysrq refused; fi",
            "else rec sysrq absent; fi",
            "# last, and only past the guard",
            "perl -e 'if (syscall(169, 0xfee1dead, 672274793, 0x01234567, 0) == -1)"
                + " { print \"reboot: refused $!\\n\" } else { print \"reboot: done\\n\" }'"
                + " >> $R 2>> $E",
            "exit 0",
            "")
        .replace("\r", "");
  }
}
