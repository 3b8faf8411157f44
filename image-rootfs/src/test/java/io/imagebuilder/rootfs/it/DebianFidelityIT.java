package io.imagebuilder.rootfs.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.rootfs.testing.ItEnvironment;
import io.imagebuilder.rootfs.testing.ItEnvironment.Target;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bookworm minbase + openssh-server tarball, checked with Debian's own tools the way a user
 * would: root's password ageing, debconf questions owned by their package, the login records, a
 * usable sshd, and a dpkg status file dpkg itself would write byte for byte.
 */
class DebianFidelityIT {
  @TempDir static Path temp;
  private static BuildResult built;
  private static Path root;

  @BeforeAll
  static void build() throws Exception {
    built =
        ImageBuilder.forSeries("bookworm")
            .forArchitecture(Architecture.AMD64)
            .withPackages("openssh-server")
            .build(ItEnvironment.run(temp.resolve("out")));
    root = ItEnvironment.extract(built.artifacts().get(0).file(), temp.resolve("root"));
  }

  @Test
  void rootHasDebiansPasswordAgeing() throws Exception {
    String shadowRoot =
        Files.readAllLines(root.resolve("etc/shadow")).stream()
            .filter(l -> l.startsWith("root:"))
            .findFirst()
            .orElseThrow();
    assertTrue(shadowRoot.matches("root:\\*:\\d+:0:99999:7:::"), shadowRoot);
    try (Target target = new Target(root, Architecture.AMD64)) {
      String chage = target.run("chage", "-l", "root");
      assertTrue(
          chage.matches("(?s).*Minimum number of days between password change\\s*: 0\n.*"), chage);
      assertTrue(
          chage.matches("(?s).*Maximum number of days between password change\\s*: 99999\n.*"),
          chage);
    }
  }

  @Test
  void everyConffileIsInPlaceAndDpkgAgreesWithItsHash() throws Exception {
    try (var all = Files.walk(root.resolve("etc"))) {
      assertEquals(
          List.of(),
          all.filter(p -> p.getFileName().toString().endsWith(".dpkg-new")).toList(),
          "no conffile left waiting as .dpkg-new");
    }
    try (Target target = new Target(root, Architecture.AMD64)) {
      // dpkg --verify compares every file, conffiles included, with the hashes dpkg recorded
      assertEquals("", target.run("dpkg", "--verify"));
    }
  }

  @Test
  void debconfQuestionsBelongToTheirPackages() throws Exception {
    try (Target target = new Target(root, Architecture.AMD64)) {
      String pam = target.run("debconf-show", "libpam-modules");
      assertTrue(pam.contains("libpam-modules/disable-screensaver"), pam);
      String owners = target.run("debconf-show", "--listowners");
      assertFalse(owners.lines().anyMatch(l -> l.equals("unknown")), owners);
      assertTrue(owners.lines().anyMatch(l -> l.equals("libc6")), owners);
    }
  }

  @Test
  void loginRecordsStayEmptyWithTheirPostinstsOwnersAndModes() throws Exception {
    Map<String, String> modes =
        Map.of(
            "wtmp", "rw-rw-r-- 0:43",
            "btmp", "rw-rw---- 0:43",
            "lastlog", "rw-rw-r-- 0:43",
            "faillog", "rw-r--r-- 0:0");
    for (Map.Entry<String, String> e : modes.entrySet()) {
      Path log = root.resolve("var/log").resolve(e.getKey());
      assertTrue(Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS), log.toString());
      assertEquals(0, Files.size(log), log.toString());
      String actual =
          PosixFilePermissions.toString(Files.getPosixFilePermissions(log))
              + " "
              + Files.getAttribute(log, "unix:uid")
              + ":"
              + Files.getAttribute(log, "unix:gid");
      assertEquals(e.getValue(), actual, log.toString());
    }
    assertFalse(Files.exists(root.resolve("var/log/dpkg.log")), "the build's own logs are gone");
    assertFalse(Files.exists(root.resolve("var/log/apt/history.log")));
  }

  @Test
  void sshdHasHostKeysRecordedAsTheImagesNonReproducibleContent() throws Exception {
    List<String> keys = new ArrayList<>();
    try (var found = Files.newDirectoryStream(root.resolve("etc/ssh"), "ssh_host_*")) {
      found.forEach(p -> keys.add("/etc/ssh/" + p.getFileName()));
    }
    keys.sort(null);
    assertTrue(keys.contains("/etc/ssh/ssh_host_ed25519_key"), keys.toString());
    JsonNode manifest = new ObjectMapper().readTree(built.manifest().orElseThrow().toFile());
    List<String> recorded = new ArrayList<>();
    manifest.path("build").path("nonReproducible").forEach(n -> recorded.add(n.asText()));
    assertEquals(keys, recorded, "the manifest lists exactly the kept host keys");
    try (Target target = new Target(root, Architecture.AMD64)) {
      // /run/sshd is what ssh's init script or unit makes before starting sshd
      target.run("sh", "-c", "mkdir -p /run/sshd && /usr/sbin/sshd -t");
    }
  }

  @Test
  void dpkgStatusIsWhatDpkgItselfWrites() throws Exception {
    Path status = root.resolve("var/lib/dpkg/status");
    byte[] ours = Files.readAllBytes(status);
    String text = new String(ours, java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(
        text.contains("\nDescription: GNU dbm database routines (runtime version) \n"),
        "libgdbm6's Description keeps its trailing space");
    try (Target target = new Target(root, Architecture.AMD64)) {
      Files.deleteIfExists(root.resolve("var/lib/dpkg/status-old"));
      // an empty selection set opens the database for writing: dpkg parses and rewrites it
      target.run("sh", "-c", "dpkg --set-selections < /dev/null");
    }
    assertTrue(Files.exists(root.resolve("var/lib/dpkg/status-old")), "dpkg rewrote status");
    assertArrayEquals(ours, Files.readAllBytes(status), "dpkg writes the same bytes");
  }
}
