package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.Ppa;
import io.imagebuilder.api.spec.Variant;
import io.imagebuilder.api.stage.UsedRepository;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.testing.TestStageContext;
import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import io.imagebuilder.rootfs.internal.repo.PackageRecord;
import io.imagebuilder.rootfs.internal.repo.PackageUniverse;
import io.imagebuilder.rootfs.internal.repo.Repository;
import io.imagebuilder.rootfs.internal.repo.Resolver;
import io.imagebuilder.rootfs.internal.repo.TestRepository;
import io.imagebuilder.rootfs.testing.DirectoryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapStageTest {
  @TempDir Path temp;
  private String mirror;
  private Path keyFile;

  @BeforeEach
  void archive() throws Exception {
    Path root = temp.resolve("mirror");
    ArchiveKey key = ArchiveKey.generate("Archive <archive@example.org>");
    new TestRepository(root, "bookworm", "bookworm")
        .add("main", "amd64", TestRepository.stanza("curl", "7.88", "amd64"))
        .add("main", "amd64", TestRepository.stanza("openssh-server", "9.2", "amd64"))
        .add("main", "amd64", TestRepository.stanza("mawk", "1.3", "amd64", "Provides: awk"))
        .add(
            "main",
            "amd64",
            TestRepository.stanza("tool", "1.0", "amd64", "Depends: libtool-gone (>= 2) | awk"))
        .add(
            "main",
            "amd64",
            TestRepository.stanza("broken", "1.0", "amd64", "Depends: curl, libgone (>= 2)"))
        .write(key);
    mirror = root.toUri().toString();
    keyFile = Files.write(temp.resolve("archive.asc"), key.armoredPublicKey());
  }

  private ImageSpec.Builder spec(String... packages) {
    ImageSpec.Builder b =
        ImageSpec.builder("bookworm")
            .architecture(Architecture.AMD64)
            .mirror(mirror)
            .mirrorKey(keyFile.toString())
            // this fixture has the series only; the suites beside it are tested with noble below
            .updates(false)
            .security(false);
    for (String p : packages) {
      b.addPackage(p);
    }
    return b;
  }

  private TestStageContext context() throws Exception {
    return new TestStageContext(
        spec().build(), Files.createDirectories(temp.resolve("root")), temp);
  }

  private void verify(ImageSpec spec) throws Exception {
    TestStageContext context =
        new TestStageContext(spec, Files.createDirectories(temp.resolve("root")), temp);
    new BootstrapStage(BootstrapStage.Options.of(spec)).verify(context);
    // The packages stage checks the names, before any stage runs.
    new PackagesStage(PackagesStage.Options.of(spec)).verify(context);
  }

  @Test
  void unknownPackagesFailBeforeTheBootstrapNamingTheNearestNames() {
    ImageSpec spec = spec("curl", "no-such-package", "opensh-server").build();
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> verify(spec));
    assertEquals(
        "unknown packages 'no-such-package' (no similar name), 'opensh-server' (nearest: openssh-server)"
            + " in bookworm main for amd64 (expected names the archive's Packages index lists)",
        e.getMessage());
  }

  @Test
  void knownRealAndVirtualPackagesPassWithVersionsOrArchitectures() {
    assertDoesNotThrow(
        () -> verify(spec("curl", "awk", "openssh-server=9.2", "libfoo:i386").build()));
  }

  @Test
  void aPackageWhoseDependencyTheArchiveCannotMeetFailsBeforeTheBootstrapNamingTheChain() {
    ImageSpec spec = spec("curl", "broken").build();
    ImageBuildException e = assertThrows(ImageBuildException.class, () -> verify(spec));
    assertEquals(
        "cannot install broken, curl for amd64: cannot satisfy broken -> libgone (>= 2): no such"
            + " package in bookworm main (expected packages whose dependencies the archive can meet)",
        e.getMessage());
  }

  @Test
  void aDependencyMetByALaterAlternativeOrAProviderPasses() {
    assertDoesNotThrow(() -> verify(spec("tool").build()));
  }

  @Test
  void anotherSourceMightBringTheNameSoNothingIsCheckedThen() {
    ImageSpec spec =
        spec("from-the-ppa").addPpa(new Ppa("ppa:owner/tools", null, keyFile.toString())).build();
    assertDoesNotThrow(() -> verify(spec));
  }

  /**
   * An Ubuntu archive on loopback with noble, noble-updates and noble-security, each signed by
   * {@code key} unless {@code securityKey} signs the security suite: the required set is spread
   * over the three, newer versions in the updates and security suites.
   */
  private DirectoryServer ubuntuArchive(ArchiveKey key, ArchiveKey securityKey) throws Exception {
    Path root = temp.resolve("ubuntu");
    String required = "Priority: required";
    new TestRepository(root, "noble", "noble")
        .add("main", "amd64", TestRepository.stanza("base-files", "13ubuntu10", "amd64", required))
        .add("main", "amd64", TestRepository.stanza("libc6", "2.39-0ubuntu8", "amd64", required))
        .add("main", "amd64", TestRepository.stanza("tzdata", "2024a-2ubuntu1", "all", required))
        .add(
            "main",
            "amd64",
            TestRepository.stanza("apt", "2.7.14build2", "amd64", "Priority: important"))
        .write(key);
    new TestRepository(root, "noble-updates", "noble-updates")
        .add(
            "main",
            "amd64",
            TestRepository.stanza("tzdata", "2025b-0ubuntu0.24.04", "all", required))
        .add("main", "amd64", TestRepository.stanza("apt", "2.8.3", "amd64", "Priority: important"))
        // older than the security suite's: the highest version wins, wherever it is
        .add("main", "amd64", TestRepository.stanza("libc6", "2.39-0ubuntu8.1", "amd64", required))
        .write(key);
    new TestRepository(root, "noble-security", "noble-security")
        .add("main", "amd64", TestRepository.stanza("libc6", "2.39-0ubuntu8.4", "amd64", required))
        .write(securityKey);
    return DirectoryServer.serve(root, "/ubuntu");
  }

  private ImageSpec.Builder noble(DirectoryServer server, ArchiveKey key) throws Exception {
    Path ubuntuKey = Files.write(temp.resolve("ubuntu.asc"), key.armoredPublicKey());
    return ImageSpec.builder("noble")
        .architecture(Architecture.AMD64)
        .mirror(server.uri())
        .mirrorKey(ubuntuKey.toString());
  }

  /** Each package's version and the repository (suite) it comes from. */
  private static Map<String, String> versionAndSuite(List<PackageRecord> packages) {
    Map<String, String> out = new TreeMap<>();
    for (PackageRecord p : packages) {
      out.put(p.name(), p.version() + " " + p.repository());
    }
    return out;
  }

  @Test
  void theBootstrapTakesTheHighestVersionOfTheSeriesAndTheSuitesBesideIt() throws Exception {
    ArchiveKey key = ArchiveKey.generate("Ubuntu Archive <archive@example.org>");
    try (DirectoryServer server = ubuntuArchive(key, key)) {
      ImageSpec spec = noble(server, key).build();
      TestStageContext context =
          new TestStageContext(spec, Files.createDirectories(temp.resolve("root")), temp);
      ArchiveOptions archive = ArchiveOptions.of(spec);

      List<Repository> read = BootstrapStage.readArchive(archive, context);
      List<PackageRecord> set =
          Resolver.resolve(PackageUniverse.of(read), Variant.MINBASE, List.of());
      BootstrapStage.recordArchive(archive, context, read);

      assertEquals(
          Map.of(
              "apt", "2.8.3 ubuntu-updates",
              "base-files", "13ubuntu10 ubuntu",
              "libc6", "2.39-0ubuntu8.4 ubuntu-security",
              "tzdata", "2025b-0ubuntu0.24.04 ubuntu-updates"),
          versionAndSuite(set));
      PackageRecord libc = set.stream().filter(p -> p.name().equals("libc6")).findFirst().get();
      assertEquals(
          server.uri() + "/pool/main/l/libc6/libc6_2.39-0ubuntu8.4_amd64.deb",
          BootstrapStage.uriOf(libc, read).toString());
      List<UsedRepository> used = context.provenance().repositories();
      assertEquals(
          List.of("ubuntu noble", "ubuntu-updates noble-updates", "ubuntu-security noble-security"),
          used.stream().map(r -> r.name() + " " + r.suite()).toList());
      for (UsedRepository r : used) {
        assertEquals(server.uri(), r.uri());
        assertEquals(key.fingerprint(), r.keyFingerprint());
        assertEquals(
            Sha256.ofFile(temp.resolve("ubuntu/dists/" + r.suite() + "/InRelease")),
            r.inReleaseSha256(),
            r.suite() + ": the sha256 of its own InRelease");
      }
    }
  }

  @Test
  void aSuiteSignedByAnotherKeyFailsNamingIt() throws Exception {
    ArchiveKey key = ArchiveKey.generate("Ubuntu Archive <archive@example.org>");
    ArchiveKey other = ArchiveKey.generate("Someone Else <else@example.org>");
    try (DirectoryServer server = ubuntuArchive(key, other)) {
      ImageSpec spec = noble(server, key).build();
      TestStageContext context =
          new TestStageContext(spec, Files.createDirectories(temp.resolve("root")), temp);
      ImageBuildException e =
          assertThrows(
              ImageBuildException.class,
              () -> BootstrapStage.readArchive(ArchiveOptions.of(spec), context));
      assertTrue(e.getMessage().contains("source 'ubuntu-security'"), e.getMessage());
      assertTrue(e.getMessage().contains(other.fingerprint()), e.getMessage());
    }
  }

  @Test
  void aMirrorWithoutTheUpdatesSuiteFailsSayingHowToLeaveItOut() throws Exception {
    ImageBuildException e =
        assertThrows(
            ImageBuildException.class,
            () ->
                BootstrapStage.readArchive(
                    ArchiveOptions.of(spec().updates(true).build()), context()));
    assertTrue(e.getMessage().contains("dists/bookworm-updates/"), e.getMessage());
    assertTrue(
        e.getMessage()
            .endsWith(
                "; bookworm-updates is read beside bookworm unless the spec leaves it out:"
                    + " withoutUpdates() (--no-updates, \"updates\": false)"),
        e.getMessage());
  }

  @Test
  void switchedOffTheSuitesAreNotEvenRead() throws Exception {
    ArchiveKey key = ArchiveKey.generate("Ubuntu Archive <archive@example.org>");
    try (DirectoryServer server = ubuntuArchive(key, key)) {
      ImageSpec spec = noble(server, key).updates(false).security(false).build();
      TestStageContext context =
          new TestStageContext(spec, Files.createDirectories(temp.resolve("root")), temp);

      List<Repository> read = BootstrapStage.readArchive(ArchiveOptions.of(spec), context);
      List<PackageRecord> set =
          Resolver.resolve(PackageUniverse.of(read), Variant.MINBASE, List.of());

      assertEquals(
          List.of(
              "apt 2.7.14build2",
              "base-files 13ubuntu10",
              "libc6 2.39-0ubuntu8",
              "tzdata 2024a-2ubuntu1"),
          set.stream().map(p -> p.name() + " " + p.version()).toList());
      assertTrue(
          server.requests().stream().allMatch(r -> r.startsWith("dists/noble/")),
          "only noble was read: " + server.requests());
    }
  }
}
