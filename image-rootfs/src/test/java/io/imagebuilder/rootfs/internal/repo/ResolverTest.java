package io.imagebuilder.rootfs.internal.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.Variant;
import io.imagebuilder.internal.deb822.Deb822;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResolverTest {

  private final List<PackageRecord> records = new ArrayList<>();

  private void pkg(String name, String version, String arch, String... fields) {
    String text = TestRepository.stanza(name, version, arch, fields);
    records.add(PackageRecord.fromStanza(Deb822.parse(text).get(0), "test"));
  }

  private PackageUniverse universe() {
    return new PackageUniverse("amd64", records, "bookworm main");
  }

  private List<String> resolve(Variant variant, String... extra) throws ResolutionException {
    return Resolver.resolve(universe(), variant, List.of(extra)).stream()
        .map(PackageRecord::name)
        .toList();
  }

  /** A tiny Debian: essential core, required extras, apt, optional stuff. */
  private void base() {
    pkg("libc6", "2.36-9", "amd64", "Priority: optional", "Multi-Arch: same", "Depends: libgcc-s1");
    pkg(
        "libgcc-s1",
        "12.2.0-14",
        "amd64",
        "Priority: optional",
        "Depends: gcc-12-base (= 12.2.0-14), libc6 (>= 2.35)");
    pkg("gcc-12-base", "12.2.0-14", "amd64", "Priority: required");
    pkg(
        "bash",
        "5.2.15-2",
        "amd64",
        "Essential: yes",
        "Priority: required",
        "Pre-Depends: libc6 (>= 2.36), libtinfo6 (>= 6)");
    pkg("libtinfo6", "6.4-4", "amd64", "Priority: optional", "Depends: libc6 (>= 2.34)");
    pkg("base-files", "12.4", "amd64", "Essential: yes", "Priority: required", "Depends: awk");
    pkg("mawk", "1.3.4", "amd64", "Priority: required", "Provides: awk");
    pkg("gawk", "5.2.1", "amd64", "Priority: optional", "Provides: awk");
    pkg("login", "4.13", "amd64", "Priority: required");
    pkg(
        "apt",
        "2.6.1",
        "amd64",
        "Priority: important",
        "Depends: libapt-pkg6.0 (>= 2.6.1), debian-archive-keyring");
    pkg("libapt-pkg6.0", "2.6.1", "amd64", "Priority: optional", "Depends: libc6");
    pkg("debian-archive-keyring", "2023.3", "all", "Priority: important");
    pkg("vim", "9.0", "amd64", "Priority: optional", "Depends: libc6");
    pkg("cron", "3.0", "amd64", "Priority: important");
    pkg("arm-only", "1.0", "arm64", "Essential: yes");
  }

  @Test
  void essentialIsEssentialPackagesAndTheirDependencies() throws Exception {
    base();
    assertEquals(
        List.of("base-files", "bash", "gcc-12-base", "libc6", "libgcc-s1", "libtinfo6", "mawk"),
        resolve(Variant.ESSENTIAL));
  }

  @Test
  void minbaseAddsRequiredAndApt() throws Exception {
    base();
    assertEquals(
        List.of(
            "apt",
            "base-files",
            "bash",
            "debian-archive-keyring",
            "gcc-12-base",
            "libapt-pkg6.0",
            "libc6",
            "libgcc-s1",
            "libtinfo6",
            "login",
            "mawk"),
        resolve(Variant.MINBASE));
  }

  @Test
  void standardAddsImportant() throws Exception {
    base();
    List<String> standard = resolve(Variant.STANDARD);
    assertTrue(standard.contains("cron"), standard.toString());
    assertTrue(standard.containsAll(resolve(Variant.MINBASE)));
    assertTrue(!standard.contains("vim"));
  }

  @Test
  void extraNamesArePulledInWithTheirDependencies() throws Exception {
    base();
    assertTrue(resolve(Variant.ESSENTIAL, "vim").contains("vim"));
    // a virtual name given as extra picks a provider
    assertTrue(resolve(Variant.ESSENTIAL, "awk").contains("mawk"));
  }

  @Test
  void virtualPackagesPreferAnAlreadySelectedProvider() throws Exception {
    base();
    // gawk sorts first by name, but mawk is required and so already selected
    List<String> result = resolve(Variant.MINBASE);
    assertTrue(result.contains("mawk"));
    assertTrue(!result.contains("gawk"), result.toString());
  }

  @Test
  void alternativesTakeTheFirstSatisfiableOne() throws Exception {
    pkg(
        "init-system-helpers",
        "1.65",
        "all",
        "Essential: yes",
        "Depends: usrmerge | usr-is-merged");
    pkg("usrmerge", "37", "all", "Depends: perl");
    pkg("usr-is-merged", "37", "all");
    pkg("perl", "5.36", "amd64");
    pkg("tool", "1", "amd64", "Essential: yes", "Depends: missing-pkg | alt-pkg (>= 2) | alt2");
    pkg("alt-pkg", "1.5", "amd64");
    pkg("alt2", "1", "amd64");
    assertEquals(
        List.of("alt2", "init-system-helpers", "perl", "tool", "usrmerge"),
        resolve(Variant.ESSENTIAL));
  }

  @Test
  void alternativesPreferOneAlreadySelected() throws Exception {
    pkg(
        "init-system-helpers",
        "1.65",
        "all",
        "Essential: yes",
        "Depends: usrmerge | usr-is-merged");
    pkg("usrmerge", "37", "all", "Depends: perl");
    pkg("usr-is-merged", "37", "all", "Priority: required");
    pkg("perl", "5.36", "amd64");
    pkg("apt", "2.6.1", "amd64");
    assertEquals(List.of("apt", "init-system-helpers", "usr-is-merged"), resolve(Variant.MINBASE));
  }

  @Test
  void versionedDependenciesNeedVersionedProvides() throws Exception {
    pkg("app", "1", "amd64", "Essential: yes", "Depends: libfoo-abi (>= 2)");
    pkg("libfoo-old", "1", "amd64", "Provides: libfoo-abi");
    pkg("libfoo-new", "2", "amd64", "Provides: libfoo-abi (= 2.1)");
    pkg("libfoo-future", "3", "amd64", "Provides: libfoo-abi (= 1.9)");
    assertEquals(List.of("app", "libfoo-new"), resolve(Variant.ESSENTIAL));
  }

  @Test
  void theCandidateIsTheHighestVersion() throws Exception {
    pkg("app", "1", "amd64", "Essential: yes", "Depends: lib (>= 1.5)");
    pkg("lib", "1.0", "amd64");
    pkg("lib", "2.0", "amd64");
    pkg("lib", "1:0.1", "amd64");
    List<PackageRecord> result = Resolver.resolve(universe(), Variant.ESSENTIAL, List.of());
    assertEquals("1:0.1", result.get(1).version().toString());
  }

  @Test
  void otherArchitecturesAreNotCandidates() throws Exception {
    base();
    assertTrue(!resolve(Variant.ESSENTIAL).contains("arm-only"));
  }

  @Test
  void unsatisfiableRequestsNameTheChain() {
    pkg("apt", "2.6.1", "amd64", "Depends: libapt-pkg6.0 (>= 2.6.1)");
    pkg("bash", "5.2", "amd64", "Essential: yes");
    ResolutionException missing =
        assertThrows(ResolutionException.class, () -> resolve(Variant.MINBASE));
    assertEquals(
        "cannot satisfy apt -> libapt-pkg6.0 (>= 2.6.1): no such package in bookworm main",
        missing.getMessage());

    pkg("libapt-pkg6.0", "2.5.0", "amd64");
    ResolutionException tooOld =
        assertThrows(ResolutionException.class, () -> resolve(Variant.MINBASE));
    assertEquals(
        "cannot satisfy apt -> libapt-pkg6.0 (>= 2.6.1): bookworm main has libapt-pkg6.0 2.5.0 only",
        tooOld.getMessage());
  }

  @Test
  void deepChainsAreNamedFromTheSeed() {
    pkg("a", "1", "amd64", "Essential: yes", "Depends: b");
    pkg("b", "1", "amd64", "Depends: c | d (>= 2)");
    pkg("d", "1", "amd64");
    ResolutionException e =
        assertThrows(ResolutionException.class, () -> resolve(Variant.ESSENTIAL));
    assertEquals(
        "cannot satisfy a -> b -> c | d (>= 2): c: no such package in bookworm main; "
            + "d: bookworm main has d 1 only",
        e.getMessage());
  }

  @Test
  void unknownExtraNamesAreReported() {
    pkg("bash", "5.2", "amd64", "Essential: yes");
    ResolutionException e =
        assertThrows(ResolutionException.class, () -> resolve(Variant.ESSENTIAL, "nope"));
    assertEquals(
        "cannot satisfy request -> nope: no such package in bookworm main", e.getMessage());
  }

  @Test
  void dependencyCyclesTerminate() throws Exception {
    pkg("a", "1", "amd64", "Essential: yes", "Pre-Depends: b");
    pkg("b", "1", "amd64", "Depends: a (= 1)");
    assertEquals(List.of("a", "b"), resolve(Variant.ESSENTIAL));
  }
}
