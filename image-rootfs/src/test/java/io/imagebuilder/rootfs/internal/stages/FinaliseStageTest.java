package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.internal.testing.TestStageContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FinaliseStageTest {
  @TempDir Path temp;

  private Path root;

  private Path file(String imagePath, String content) throws Exception {
    Path p = root.resolve(imagePath.substring(1));
    Files.createDirectories(p.getParent());
    return Files.writeString(p, content);
  }

  private TestStageContext context() {
    TestStageContext context =
        new TestStageContext(
            ImageSpec.builder("bookworm").architecture(Architecture.AMD64).build(), root, temp);
    context.setSourceDateEpoch(1_700_000_000L);
    return context;
  }

  @Test
  void clampsTimestampsToSourceDateEpoch() throws Exception {
    root = Files.createDirectories(temp.resolve("root"));
    Path recent = file("/etc/recent", "x");
    TestStageContext context = context();
    new FinaliseStage(FinaliseStage.Options.standard()).run(context);
    assertEquals(1, context.releases(), "mounts and policy-rc.d are gone before the clean-up");
    assertEquals(1_700_000_000L, Files.getLastModifiedTime(recent).toMillis() / 1000);
  }

  @Test
  void withoutASourceDateEpochItFailsSayingWhatItWasFor() throws Exception {
    root = Files.createDirectories(temp.resolve("root"));
    TestStageContext context =
        new TestStageContext(
            ImageSpec.builder("bookworm").architecture(Architecture.AMD64).build(), root, temp);
    ImageBuildException e =
        assertThrows(
            ImageBuildException.class,
            () -> new FinaliseStage(FinaliseStage.Options.standard()).run(context));
    assertEquals(
        "no SOURCE_DATE_EPOCH is known for the rootfs's timestamps (expected the spec to give one"
            + " or the bootstrap to read the Release's date)",
        e.getMessage());
  }

  @Test
  void removesBuildHostAndMachineIdentity() throws Exception {
    root = Files.createDirectories(temp.resolve("root"));
    file("/var/log/dpkg.log", "log");
    file("/var/log/apt/history.log", "log");
    file("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", "x");
    file("/var/cache/apt/pkgcache.bin", "x");
    file("/var/cache/apt/archives/curl_1_amd64.deb", "x");
    file("/var/cache/ldconfig/aux-cache", "x");
    file("/var/lib/dbus/machine-id", "abc");
    file("/etc/ssh/ssh_host_ed25519_key", "secret");
    file("/etc/ssh/ssh_host_ed25519_key.pub", "pub");
    file("/etc/ssh/sshd_config", "config");
    file("/usr/sbin/sshd", "binary");
    file("/usr/lib/systemd/systemd", "init");
    file("/etc/resolv.conf", "nameserver 10.0.0.1");
    file("/etc/machine-id", "0123456789abcdef");
    file("/tmp/scratch", "x");
    file("/var/lib/dpkg/status-old", "x");

    new FinaliseStage(FinaliseStage.Options.standard()).run(context());

    for (String gone :
        new String[] {
          "/var/log/dpkg.log",
          "/var/log/apt/history.log",
          "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease",
          "/var/cache/apt/pkgcache.bin",
          "/var/cache/apt/archives/curl_1_amd64.deb",
          "/var/cache/ldconfig/aux-cache",
          "/var/lib/dbus/machine-id",
          "/etc/ssh/ssh_host_ed25519_key",
          "/etc/ssh/ssh_host_ed25519_key.pub",
          "/etc/resolv.conf",
          "/tmp/scratch",
          "/var/lib/dpkg/status-old"
        }) {
      assertFalse(Files.exists(root.resolve(gone.substring(1))), gone);
    }
    assertTrue(Files.isDirectory(root.resolve("var/log/apt")), "directories stay");
    assertEquals("config", Files.readString(root.resolve("etc/ssh/sshd_config")));
    assertEquals("uninitialized\n", Files.readString(root.resolve("etc/machine-id")));
    Path unit = root.resolve("etc/systemd/system/" + FinaliseStage.SSH_KEYGEN_UNIT);
    assertTrue(Files.readString(unit).contains("ExecStart=/usr/bin/ssh-keygen -A"));
    assertEquals(
        Path.of("/etc/systemd/system/" + FinaliseStage.SSH_KEYGEN_UNIT),
        Files.readSymbolicLink(
            root.resolve(
                "etc/systemd/system/multi-user.target.wants/" + FinaliseStage.SSH_KEYGEN_UNIT)));
  }

  @Test
  void keepsTheLoginRecordsEmptiedWithTheirOwnersAndModes() throws Exception {
    root = Files.createDirectories(temp.resolve("root"));
    Path wtmp = file("/var/log/wtmp", "");
    Files.setPosixFilePermissions(wtmp, PosixFilePermissions.fromString("rw-rw-r--"));
    Path btmp = file("/var/log/btmp", "a failed login the build made");
    Files.setPosixFilePermissions(btmp, PosixFilePermissions.fromString("rw-rw----"));
    file("/var/log/lastlog", "");
    file("/var/log/faillog", "");
    Object inode = Files.getAttribute(btmp, "unix:ino");
    file("/var/log/dpkg.log", "log");
    file("/var/log/alternatives.log", "log");
    file("/var/log/apt/eipp.log.xz", "log");

    new FinaliseStage(FinaliseStage.Options.standard()).run(context());

    for (String kept : FinaliseStage.LOGIN_RECORDS) {
      Path p = root.resolve(kept.substring(1));
      assertTrue(Files.isRegularFile(p), kept);
      assertEquals(0, Files.size(p), kept);
    }
    assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(wtmp)));
    assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(btmp)));
    assertEquals(inode, Files.getAttribute(btmp, "unix:ino"), "emptied in place, not recreated");
    for (String gone :
        List.of("/var/log/dpkg.log", "/var/log/alternatives.log", "/var/log/apt/eipp.log.xz")) {
      assertFalse(Files.exists(root.resolve(gone.substring(1))), gone);
    }
  }

  @Test
  void withoutSystemdTheSshHostKeysStayAndAreRecordedAsNonReproducible() throws Exception {
    root = Files.createDirectories(temp.resolve("root"));
    file("/usr/sbin/sshd", "binary");
    file("/etc/ssh/ssh_host_rsa_key", "secret");
    file("/etc/ssh/ssh_host_rsa_key.pub", "pub");
    file("/etc/ssh/ssh_host_ed25519_key", "secret");
    file("/etc/ssh/ssh_host_ed25519_key.pub", "pub");
    TestStageContext context = context();

    new FinaliseStage(FinaliseStage.Options.standard()).run(context);

    assertEquals("secret", Files.readString(root.resolve("etc/ssh/ssh_host_ed25519_key")));
    assertEquals(
        List.of(
            "/etc/ssh/ssh_host_ed25519_key",
            "/etc/ssh/ssh_host_ed25519_key.pub",
            "/etc/ssh/ssh_host_rsa_key",
            "/etc/ssh/ssh_host_rsa_key.pub"),
        context.provenance().nonReproducible());
    assertFalse(Files.exists(root.resolve("etc/systemd/system/" + FinaliseStage.SSH_KEYGEN_UNIT)));
  }

  @Test
  void withSystemdTheSshHostKeysAreMadeAtFirstBootInstead() throws Exception {
    root = Files.createDirectories(temp.resolve("root"));
    Files.createDirectories(root.resolve("usr/lib"));
    Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib")); // merged /usr
    file("/usr/sbin/sshd", "binary");
    file("/lib/systemd/systemd", "init");
    file("/etc/ssh/ssh_host_ed25519_key", "secret");
    TestStageContext context = context();

    new FinaliseStage(FinaliseStage.Options.standard()).run(context);

    assertFalse(Files.exists(root.resolve("etc/ssh/ssh_host_ed25519_key")));
    assertEquals(List.of(), context.provenance().nonReproducible());
    assertTrue(Files.exists(root.resolve("etc/systemd/system/" + FinaliseStage.SSH_KEYGEN_UNIT)));
  }

  @Test
  void withoutSshdNoKeygenUnitIsInstalled() throws Exception {
    root = Files.createDirectories(temp.resolve("root"));
    file("/etc/ssh/ssh_config", "client only");
    new FinaliseStage(FinaliseStage.Options.standard()).run(context());
    assertFalse(Files.exists(root.resolve("etc/systemd/system/" + FinaliseStage.SSH_KEYGEN_UNIT)));
  }
}
