package io.imagebuilder.rootfs.internal.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.internal.deb822.Deb822;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageUniverseTest {

  private static PackageRecord rec(
      String repo, String name, String version, String arch, String... fields) {
    return PackageRecord.fromStanza(
        Deb822.parse(TestRepository.stanza(name, version, arch, fields)).get(0), repo);
  }

  @Test
  void candidateIsTheHighestVersionAndTheFirstRepositoryBreaksTies() {
    PackageUniverse u =
        new PackageUniverse(
            "amd64",
            List.of(
                rec("main", "a", "1.0", "amd64"),
                rec("updates", "a", "1.1", "amd64"),
                rec("main", "b", "2.0", "all"),
                rec("side", "b", "2.0", "all"),
                rec("main", "c", "1.0", "arm64")),
            "test");
    assertEquals("1.1", u.candidate("a").orElseThrow().version().toString());
    assertEquals("main", u.candidate("b").orElseThrow().repository());
    assertTrue(u.candidate("c").isEmpty(), "other architectures are left out");
    assertEquals(2, u.versions("a").size());
    assertEquals(List.of("a", "b"), u.candidates().stream().map(PackageRecord::name).toList());
    assertEquals(
        List.of("b"),
        u.candidates(p -> p.architecture().equals("all")).stream()
            .map(PackageRecord::name)
            .toList());
  }

  @Test
  void providersComeFromCandidatesOnly() {
    PackageUniverse u =
        new PackageUniverse(
            "amd64",
            List.of(
                rec("main", "mawk", "1.3", "amd64", "Provides: awk"),
                rec("main", "gawk", "5.0", "amd64", "Provides: awk"),
                rec("main", "old", "1.0", "amd64", "Provides: thing"),
                rec("main", "old", "2.0", "amd64")),
            "test");
    assertEquals(
        List.of("gawk", "mawk"), u.providers("awk").stream().map(p -> p.record().name()).toList());
    assertTrue(u.providers("thing").isEmpty());
  }

  @Test
  void nearestNamesAreTheFewestEditsAwayThenLongerNamesStartingAlike() {
    PackageUniverse u =
        new PackageUniverse(
            "amd64",
            List.of(
                rec("main", "openssh-server", "1", "amd64"),
                rec("main", "openssh-client", "1", "amd64"),
                rec("main", "openssl", "1", "amd64"),
                rec("main", "curl", "1", "amd64"),
                rec("main", "mawk", "1", "amd64", "Provides: awk")),
            "test");
    assertEquals(List.of("openssh-server"), u.nearestNames("opensh-server", 3));
    assertEquals(List.of("curl"), u.nearestNames("crul", 3));
    assertEquals(
        List.of("openssl", "openssh-client", "openssh-server"), u.nearestNames("openssh", 3));
    assertEquals(List.of(), u.nearestNames("no-such-package", 3));
    assertTrue(u.knows("awk"), "a virtual package something provides");
    assertTrue(u.knows("curl"));
    assertTrue(!u.knows("crul"));
  }

  @Test
  void editDistanceStopsAtTheLimit() {
    assertEquals(0, PackageUniverse.editDistance("abc", "abc", 2));
    assertEquals(2, PackageUniverse.editDistance("crul", "curl", 2));
    assertEquals(3, PackageUniverse.editDistance("abcdef", "uvwxyz", 2));
  }
}
