package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.rootfs.internal.deb.DebRepacker.Listed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateSubtreesTest {
  @TempDir Path root;

  @BeforeEach
  void mergedUsr() throws Exception {
    Files.createDirectories(root.resolve("usr/lib"));
    Files.createDirectories(root.resolve("usr/share/doc"));
    Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
    Files.createDirectories(root.resolve("var/lib/dpkg/triggers"));
  }

  /**
   * A kernel-like package: a few files of its own, and {@code modules} files below /lib/modules.
   */
  private static PrivateSubtrees.Package kernel(boolean fresh, int modules, String... conffiles) {
    List<Listed> entries = new ArrayList<>();
    entries.add(new Listed("/", true, null));
    entries.add(new Listed("/lib", true, null));
    entries.add(new Listed("/lib/modules", true, null));
    entries.add(new Listed("/lib/modules/6.1", true, null));
    entries.add(new Listed("/lib/modules/6.1/kernel", true, null));
    for (int i = 0; i < modules; i++) {
      entries.add(new Listed("/lib/modules/6.1/kernel/m" + i + ".ko", false, null));
    }
    entries.add(new Listed("/usr", true, null));
    entries.add(new Listed("/usr/share", true, null));
    entries.add(new Listed("/usr/share/doc", true, null));
    entries.add(new Listed("/usr/share/doc/linux-image", true, null));
    entries.add(new Listed("/usr/share/doc/linux-image/changelog.gz", false, null));
    return new PrivateSubtrees.Package(fresh, entries, List.of(conffiles), List.of());
  }

  private static PrivateSubtrees.Package other(String... files) {
    List<Listed> entries = new ArrayList<>(List.of(new Listed("/", true, null)));
    for (String f : files) {
      entries.add(new Listed(f, f.endsWith("/"), null));
    }
    return new PrivateSubtrees.Package(true, entries, List.of(), List.of());
  }

  private Map<Integer, String> choose(PrivateSubtrees.Package... packages) throws Exception {
    Map<Integer, String> directories = new java.util.TreeMap<>();
    PrivateSubtrees.choose(root, List.of(packages))
        .forEach((i, c) -> directories.put(i, c.directory()));
    return directories;
  }

  @Test
  void theTopmostNewDirectoryOnlyItsPackageFillsIsChosen() throws Exception {
    assertEquals(Map.of(0, "/lib/modules"), choose(kernel(true, 2000), other("/usr/bin/tool")));
    assertEquals(
        Map.of(0, new PrivateSubtrees.Choice("/lib/modules", 2002)),
        PrivateSubtrees.choose(root, List.of(kernel(true, 2000))),
        "the 2,000 modules and the two directories above them");
  }

  @Test
  void aDirectoryThatExistsIsNotButANewOneBelowItIs() throws Exception {
    Files.createDirectories(root.resolve("usr/lib/modules"));
    assertEquals(Map.of(0, "/lib/modules/6.1"), choose(kernel(true, 2000)));
  }

  @Test
  void anotherPackageBelowTheDirectoryAsTheTargetResolvesItKeepsItDpkgs() throws Exception {
    // /usr/lib/modules is /lib/modules in a merged-/usr target
    assertEquals(Map.of(), choose(kernel(true, 2000), other("/usr/lib/modules/6.1/extra.ko")));
  }

  @Test
  void aSiblingWithALongerNameIsNotBelowIt() throws Exception {
    assertEquals(
        Map.of(0, "/lib/modules"),
        choose(kernel(true, 2000), other("/lib/modules-load.d/", "/lib/modules-load.d/x.conf")));
  }

  @Test
  void smallUpgradedOrConffileHoldingTreesStayDpkgs() throws Exception {
    assertEquals(Map.of(), choose(kernel(true, 10)), "too few entries to be worth it");
    assertEquals(Map.of(), choose(kernel(false, 2000)), "an upgrade replaces files");
    assertEquals(
        Map.of(),
        choose(kernel(true, 2000, "/lib/modules/6.1/modules.conf")),
        "the conffile's directories, and below them none whose parent exists");
  }

  @Test
  void aDiversionOrATriggerInterestAtOrAboveTheDirectoryKeepsItDpkgs() throws Exception {
    Files.writeString(
        root.resolve("var/lib/dpkg/diversions"),
        "/lib/modules/6.1/kernel/m5.ko\n/lib/modules/6.1/kernel/m5.ko.orig\n:\n");
    assertEquals(Map.of(), choose(kernel(true, 2000)));
    Files.delete(root.resolve("var/lib/dpkg/diversions"));
    Files.writeString(root.resolve("var/lib/dpkg/triggers/File"), "/usr/lib udev/noawait\n");
    assertEquals(Map.of(), choose(kernel(true, 2000)));
  }

  @Test
  void aHardLinkAcrossTheBoundaryKeepsItDpkgs() throws Exception {
    PrivateSubtrees.Package k = kernel(true, 2000);
    List<Listed> entries = new ArrayList<>(k.entries());
    entries.add(
        new Listed("/usr/share/doc/linux-image/m1.ko", false, "/lib/modules/6.1/kernel/m1.ko"));
    assertEquals(
        Map.of(), choose(new PrivateSubtrees.Package(true, entries, List.of(), List.of())));
  }
}
