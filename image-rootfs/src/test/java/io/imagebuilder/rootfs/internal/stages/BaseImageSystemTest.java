package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseImageSystemTest {
  private static final String LABEL = "base image '/srv/base.tar.zst'";

  @TempDir Path root;

  /**
   * A dpkg status of {@code dpkg} and {@code base-files} of {@code arch}, and one arch:all package.
   */
  static void writeSystem(Path root, String arch) throws Exception {
    Path dpkg = Files.createDirectories(root.resolve("var/lib/dpkg"));
    Files.writeString(
        dpkg.resolve("status"),
        String.join(
            "\n",
            "Package: base-files",
            "Status: install ok installed",
            "Architecture: " + arch,
            "Version: 12.4+deb12u5",
            "",
            "Package: dpkg",
            "Status: install ok installed",
            "Architecture: " + arch,
            "Version: 1.21.22",
            "",
            "Package: tzdata",
            "Status: install ok installed",
            "Architecture: all",
            "Version: 2024a-0+deb12u1",
            "",
            "Package: gone",
            "Status: deinstall ok config-files",
            "Architecture: " + arch,
            "Version: 1",
            ""));
  }

  @Test
  void theArchitectureIsDpkgsNativeOneFromItsArchFileFirst() throws Exception {
    writeSystem(root, "amd64");
    Files.writeString(root.resolve("var/lib/dpkg/arch"), "amd64\ni386\n");

    BaseImageSystem system = BaseImageSystem.read(root, LABEL);

    assertEquals("amd64", system.architecture());
    assertEquals("/var/lib/dpkg/arch", system.architectureFrom());
    assertEquals(
        List.of("base-files", "dpkg", "tzdata"),
        system.installed().stream().map(p -> p.name()).toList(),
        "only installed packages");
    assertEquals(Optional.empty(), system.embedded());
  }

  @Test
  void withoutAnArchFileTheDpkgPackageTells() throws Exception {
    writeSystem(root, "arm64");

    BaseImageSystem system = BaseImageSystem.read(root, LABEL);

    assertEquals("arm64", system.architecture());
    assertEquals("the dpkg package in /var/lib/dpkg/status", system.architectureFrom());
  }

  @Test
  void aMismatchNamesTheBaseWhatItHoldsAndWhatTheSpecWants() throws Exception {
    writeSystem(root, "arm64");
    BaseImageSystem system = BaseImageSystem.read(root, LABEL);

    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> system.requireArchitecture("amd64", LABEL));
    assertEquals(
        LABEL
            + " holds a system for arm64 (the dpkg package in /var/lib/dpkg/status), but the spec builds"
            + " for amd64 (expected a base image of the spec's architecture)",
        e.getMessage());
    assertDoesNotThrow(() -> system.requireArchitecture("arm64", LABEL));
  }

  @Test
  void anotherDistributionInOsReleaseIsRefusedNamingBoth() throws Exception {
    writeSystem(root, "amd64");
    Files.createDirectories(root.resolve("usr/lib"));
    Files.writeString(
        root.resolve("usr/lib/os-release"), "NAME=\"Ubuntu\"\nID=ubuntu\nID_LIKE=debian\n");
    Files.createDirectories(root.resolve("etc"));
    Files.createSymbolicLink(root.resolve("etc/os-release"), Path.of("../usr/lib/os-release"));
    BaseImageSystem system = BaseImageSystem.read(root, LABEL);

    assertEquals("ubuntu", system.osId());
    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> system.requireDistribution("debian", LABEL));
    assertEquals(
        LABEL
            + " holds ubuntu (ID in its os-release), but the spec builds debian (expected a base image"
            + " of the spec's distribution)",
        e.getMessage());
    assertDoesNotThrow(() -> system.requireDistribution("ubuntu", LABEL));
  }

  @Test
  void aTreeWithoutDpkgStatusIsNoDebianSystem() throws Exception {
    Files.createDirectories(root.resolve("etc"));

    ImageBuildException e =
        assertThrows(ImageBuildException.class, () -> BaseImageSystem.read(root, LABEL));
    assertTrue(
        e.getMessage().startsWith(LABEL + " holds no Debian system (no /var/lib/dpkg/status"),
        e.getMessage());
  }

  @Test
  void aStatusThatIsASymlinkOutOfTheRootfsIsNotFollowed(@TempDir Path outside) throws Exception {
    writeSystem(outside, "amd64");
    Files.createDirectories(root.resolve("var/lib/dpkg"));
    Files.createSymbolicLink(
        root.resolve("var/lib/dpkg/status"), outside.resolve("var/lib/dpkg/status"));

    assertThrows(ImageBuildException.class, () -> BaseImageSystem.read(root, LABEL));
  }

  @Test
  void theEmbeddedManifestGivesSpecHashSourceDateEpochAndDebHashes() throws Exception {
    writeSystem(root, "amd64");
    Path manifest =
        Files.createDirectories(root.resolve("usr/share/imagebuilder")).resolve("manifest.json");
    String spec = "a".repeat(64);
    String deb = "b".repeat(64);
    Files.writeString(
        manifest,
        "{\"schemaVersion\":1,\"specHash\":\""
            + spec
            + "\",\"build\":{\"sourceDateEpoch\":1700000000},"
            + "\"packages\":[{\"name\":\"dpkg\",\"version\":\"1.21.22\",\"architecture\":\"amd64\",\"debSha256\":\""
            + deb
            + "\"},"
            + "{\"name\":\"tzdata\",\"version\":\"2024a-0+deb12u1\",\"architecture\":\"all\"}]}");

    BaseImageSystem.Embedded embedded = BaseImageSystem.read(root, LABEL).embedded().orElseThrow();

    assertEquals(spec, embedded.specHash());
    assertEquals(1_700_000_000L, embedded.sourceDateEpoch());
    assertEquals(Map.of("dpkg:amd64=1.21.22", deb), embedded.debSha256());
  }
}
