package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.manifest.api.Identification;
import io.imagebuilder.manifest.api.ImageIndex;
import io.imagebuilder.manifest.api.IndexedBuild;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.ManifestArtifact;
import io.imagebuilder.manifest.api.ManifestPackage;
import io.imagebuilder.manifest.api.Manifests;
import io.imagebuilder.samples.testing.ItBuilds;
import io.imagebuilder.samples.testing.TarListing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.cyclonedx.Version;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 6 on real builds: two bookworm minbase images (one with openssh-server) built at once by
 * two {@code imagebuilder build} JVMs sharing one cache and index, then looked up, listed, compared
 * with dpkg inside the image, rebuilt from the looked-up spec, and identified again with the index
 * gone. Needs root and http://deb.debian.org.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageIndexIT {
  static final String TARBALL = "debian-bookworm-amd64.tar.zst";

  /**
   * One image built by the command line: its output directory, the spec it asked for, the manifest.
   */
  record Built(Path dir, ImageSpec requested, Manifest manifest, Duration took) {
    Path tarball() {
      return dir.resolve(TARBALL);
    }

    String sha256() {
      return manifest.artifacts().get(0).sha256();
    }
  }

  static Path work;
  static Path cache;
  static Path index;
  static Built ssh;
  static Built plain;

  @BeforeAll
  static void twoBuildsAtOnceInTwoJvms() throws Exception {
    work = ItBuilds.freshWorkDir("ImageIndexIT");
    cache = work.resolve("cache");
    index = cache.resolve("index.db");
    long start = System.nanoTime();
    Process a =
        ItBuilds.startCli(
            work.resolve("ssh.log"),
            "build",
            "--cache",
            cache.toString(),
            "--out",
            work.resolve("ssh").toString(),
            "--package",
            "openssh-server");
    Process b =
        ItBuilds.startCli(
            work.resolve("plain.log"),
            "build",
            "--cache",
            cache.toString(),
            "--out",
            work.resolve("plain").toString());
    int codeA = ItBuilds.await(a, 10);
    Duration tookA = Duration.ofNanos(System.nanoTime() - start);
    int codeB = ItBuilds.await(b, 10);
    Duration tookB = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(0, codeA, () -> "build with openssh-server failed:\n" + tailOf("ssh.log"));
    assertEquals(0, codeB, () -> "plain build failed:\n" + tailOf("plain.log"));
    ssh =
        built(
            "ssh", ImageBuilder.forSeries("bookworm").withPackages("openssh-server").spec(), tookA);
    plain = built("plain", ImageBuilder.forSeries("bookworm").spec(), tookB);
    System.out.printf(
        "ImageIndexIT: concurrent builds took %ds (with openssh-server) and %ds (plain)%n",
        tookA.toSeconds(), tookB.toSeconds());
  }

  @AfterAll
  static void noMountIsLeft() throws Exception {
    String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
    assertFalse(
        mounts.contains(work.toString()), () -> "mounts left under " + work + ":\n" + mounts);
  }

  private static Built built(String name, ImageSpec requested, Duration took) throws Exception {
    Path dir = work.resolve(name);
    Manifest manifest = Manifests.read(dir.resolve("debian-bookworm-amd64.manifest.json"));
    assertEquals(1, manifest.artifacts().size(), manifest::toJson);
    assertEquals(TARBALL, manifest.artifacts().get(0).file());
    assertEquals(
        Sha256.ofFile(dir.resolve(TARBALL)),
        manifest.artifacts().get(0).sha256(),
        "the manifest's sha256 is the tarball's");
    return new Built(dir, requested, manifest, took);
  }

  private static String tailOf(String log) {
    try {
      return ItBuilds.tail(work.resolve(log), 40);
    } catch (java.io.IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static CliRun cli(String... args) {
    return CliRun.run(false, java.util.function.UnaryOperator.identity(), args);
  }

  @Test
  @Order(1)
  void bothConcurrentBuildsAreInTheIndex() throws Exception {
    try (ImageIndex idx = ImageIndex.open(index)) {
      assertEquals(2, idx.buildCount());
      for (Built b : List.of(ssh, plain)) {
        IndexedBuild found =
            idx.findByArtifact(b.sha256())
                .orElseThrow(() -> new AssertionError(b.dir() + " not indexed"));
        assertEquals(b.requested().specHash(), found.specHash());
        assertEquals(
            b.manifest().toJson(),
            found.manifest().toJson(),
            "the index holds the manifest written beside the image");
      }
    }
    assertNotEquals(ssh.sha256(), plain.sha256());
  }

  @Test
  @Order(2)
  void lookingUpEachArtifactsSha256GivesTheSpecThatBuiltIt() throws Exception {
    for (Built b : List.of(ssh, plain)) {
      for (ManifestArtifact artifact : b.manifest().artifacts()) {
        CliRun run = cli("lookup", artifact.sha256(), "--cache", cache.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
        ImageSpec spec = ImageSpec.fromJson(run.out());
        assertEquals(
            b.requested(), spec, "the spec looked up is the one the command line asked for");
        assertEquals(b.requested().specHash(), spec.specHash());
      }
    }
  }

  @Test
  @Order(3)
  void imagesWithOpensshServerListsTheImageWithItAndOnlyThatOne() throws Exception {
    CliRun run = cli("images", "--package", "openssh-server", "--cache", cache.toString());
    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    List<String> lines = run.out().lines().toList();
    assertEquals(1, lines.size(), run::toString);
    String version = ssh.manifest().findPackage("openssh-server").orElseThrow().version();
    List<String> columns = Arrays.asList(lines.get(0).split(" +"));
    assertEquals(
        List.of(ssh.sha256(), TARBALL, version, "amd64", ssh.requested().specHash()),
        columns.subList(0, 5));
    assertFalse(plain.manifest().findPackage("openssh-server").isPresent());

    CliRun exact =
        cli("images", "--package", "openssh-server=" + version, "--cache", cache.toString());
    assertEquals(run.out(), exact.out(), exact::toString);
    CliRun both = cli("images", "--package", "libc6", "--cache", cache.toString());
    assertEquals(
        Set.of(ssh.sha256(), plain.sha256()),
        both.out().lines().map(l -> l.split(" ")[0]).collect(Collectors.toSet()),
        both::toString);
  }

  @Test
  @Order(4)
  void theManifestsPackagesAreWhatDpkgQueryListsInsideTheImage() throws Exception {
    for (Built b : List.of(ssh, plain)) {
      Path root = Files.createDirectories(work.resolve("extracted-" + b.dir().getFileName()));
      ItBuilds.host(
          "tar", "--numeric-owner", "-xpf", b.tarball().toString(), "-C", root.toString());
      String out =
          ItBuilds.host(
              "chroot",
              root.toString(),
              "dpkg-query",
              "-W",
              "-f",
              "${db:Status-Abbrev}\t${binary:Package}\t${Version}\n");
      List<String> installed =
          out.lines()
              .filter(l -> l.startsWith("ii"))
              .map(l -> l.substring(l.indexOf('\t') + 1))
              .sorted()
              .toList();
      assertTrue(installed.size() > 80, () -> "dpkg-query listed only " + installed);

      List<String> ubuntuView =
          Files.readAllLines(b.dir().resolve("debian-bookworm-amd64.manifest")).stream()
              .sorted()
              .toList();
      assertEquals(installed, ubuntuView, b.dir() + ": the .manifest is dpkg-query's list");
      List<String> fromJson =
          b.manifest().packages().stream().map(ImageIndexIT::binaryPackage).sorted().toList();
      assertEquals(
          installed, fromJson, b.dir() + ": the manifest's packages are dpkg-query's list");
      Manifest embedded = Manifests.read(root.resolve(Manifests.EMBEDDED_PATH.substring(1)));
      assertEquals(
          b.manifest().packages(),
          embedded.packages(),
          "the embedded copy lists the same packages");
      ItBuilds.deleteTree(root);
    }
  }

  @Test
  @Order(5)
  void everyBootstrappedPackageHasTheSha256OfItsDeb() {
    // bookworm, bookworm-updates or bookworm-security: each is a repository of its own
    Set<String> archiveSuites =
        plain.manifest().repositories().stream().map(r -> r.name()).collect(Collectors.toSet());
    assertEquals(Set.of("debian", "debian-updates", "debian-security"), archiveSuites);
    for (ManifestPackage p : plain.manifest().packages()) {
      assertTrue(
          p.debSha256() != null
              && p.debSha256().matches("[0-9a-f]{64}")
              && archiveSuites.contains(p.repository()),
          () -> p.name() + " has no .deb sha256 or repository in the manifest");
    }
    // Packages apt installs in rootfs.packages have no recorded origin yet (image-rootfs does
    // not publish PACKAGE_ORIGINS for them); the bootstrapped ones must keep theirs.
    Set<String> bootstrapped =
        plain.manifest().packages().stream()
            .map(p -> p.name() + "=" + p.version())
            .collect(Collectors.toSet());
    List<String> withoutOrigin =
        ssh.manifest().packages().stream()
            .filter(p -> p.debSha256() == null)
            .map(p -> p.name() + "=" + p.version())
            .toList();
    System.out.println(
        "ImageIndexIT: packages installed by apt without a .deb sha256: " + withoutOrigin);
    assertTrue(withoutOrigin.stream().noneMatch(bootstrapped::contains), withoutOrigin::toString);
  }

  /** {@code ${binary:Package}}: the name, with {@code :arch} for a Multi-Arch: same package. */
  private static String binaryPackage(ManifestPackage p) {
    String name = "same".equals(p.multiArch()) ? p.name() + ":" + p.architecture() : p.name();
    return name + "\t" + p.version();
  }

  @Test
  @Order(6)
  void theCycloneDxSbomOfARealBuildIsValid() throws Exception {
    for (Built b : List.of(ssh, plain)) {
      byte[] sbom = Files.readAllBytes(b.dir().resolve("debian-bookworm-amd64.cdx.json"));
      List<ParseException> errors = new JsonParser().validate(sbom, Version.VERSION_16);
      assertEquals(List.of(), errors, b.dir() + ": the SBOM is valid CycloneDX 1.6");
      JsonNode root = new ObjectMapper().readTree(sbom);
      assertEquals(b.manifest().packages().size(), root.get("components").size());
      Set<String> purls = new java.util.HashSet<>();
      root.get("components").forEach(c -> purls.add(c.get("purl").asText()));
      ManifestPackage libc = b.manifest().findPackage("libc6").orElseThrow();
      assertTrue(
          purls.stream()
              .anyMatch(
                  p ->
                      p.startsWith("pkg:deb/debian/libc6@" + libc.version().replace("+", "%2B"))
                          || p.startsWith("pkg:deb/debian/libc6@" + libc.version())),
          () -> "no purl for libc6 " + libc.version() + " in " + purls);
      assertTrue(root.toString().contains(b.sha256()), "the SBOM names the image's sha256");
    }
  }

  @Test
  @Order(7)
  void theManifestCommandPrintsTheManifestOfAnImageFile() throws Exception {
    CliRun run = cli("manifest", ssh.tarball().toString(), "--cache", cache.toString());
    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    assertEquals(ssh.manifest().toJson(), run.out());
  }

  @Test
  @Order(8)
  void aCorruptIndexGivesAClearErrorAndIsLeftByteForByte() throws Exception {
    // A real index with its pages after the first (the tables) overwritten.
    Path damagedCache = Files.createDirectories(work.resolve("damaged-cache"));
    Path damaged = damagedCache.resolve("index.db");
    byte[] bytes = Files.readAllBytes(index);
    assertTrue(bytes.length > 8192, "the index has more than one page");
    Arrays.fill(bytes, 4096, bytes.length, (byte) 0x5a);
    Files.write(damaged, bytes);

    CliRun images =
        cli("images", "--package", "openssh-server", "--cache", damagedCache.toString());
    CliRun lookup = cli("lookup", ssh.sha256(), "--cache", damagedCache.toString());
    for (CliRun run : List.of(images, lookup)) {
      assertEquals(ExitCodes.FAILED, run.exitCode(), run::toString);
      assertTrue(run.err().startsWith("imagebuilder: "), run::toString);
      assertTrue(
          run.err().contains(damaged.toString()), () -> "the message names the index: " + run);
      assertFalse(run.err().contains("internal error"), run::toString);
    }
    assertArrayEquals(bytes, Files.readAllBytes(damaged), "the damaged index is left as it was");

    // A file that is not SQLite at all, met by a real build: it fails before any work.
    Path garbageCache = Files.createDirectories(work.resolve("garbage-cache"));
    byte[] garbage =
        "these are not the bytes of an index\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
    Files.write(garbageCache.resolve("index.db"), garbage);
    Path log = work.resolve("garbage.log");
    int code =
        ItBuilds.await(
            ItBuilds.startCli(
                log,
                "build",
                "--cache",
                garbageCache.toString(),
                "--out",
                work.resolve("garbage").toString()),
            10);
    String output = Files.readString(log);
    assertEquals(ExitCodes.FAILED, code, output);
    assertTrue(
        output.contains(garbageCache.resolve("index.db") + " is not an ImageBuilder image index"),
        output);
    assertArrayEquals(
        garbage,
        Files.readAllBytes(garbageCache.resolve("index.db")),
        "the file is left as it was");
    assertFalse(Files.exists(work.resolve("garbage").resolve(TARBALL)), output);
  }

  @Test
  @Order(9)
  void rebuildingFromTheLookedUpSpecGivesTheSameSha256() throws Exception {
    ImageSpec spec;
    try (ImageIndex idx = ImageIndex.open(index)) {
      spec = idx.lookup(ssh.sha256()).orElseThrow().manifest().toSpec();
    }
    long start = System.nanoTime();
    BuildResult again =
        ImageBuilder.fromSpec(spec)
            .build(RunConfiguration.into(work.resolve("rebuild")).withCacheDir(cache));
    System.out.printf(
        "ImageIndexIT: rebuild from the looked-up spec took %ds%n",
        Duration.ofNanos(System.nanoTime() - start).toSeconds());

    assertEquals(ssh.requested().specHash(), again.specHash());
    assertEquals(
        stageId(ssh.manifest(), "manifest.record"),
        again.planId(),
        "the same plan as the command line's");
    for (ManifestArtifact original : ssh.manifest().artifacts()) {
      Artifact rebuilt =
          again.artifacts().stream()
              .filter(a -> a.file().getFileName().toString().equals(original.file()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("the rebuild wrote no " + original.file()));
      if (!original.sha256().equals(rebuilt.sha256())) {
        List<String> diff = TarListing.diff(ssh.dir().resolve(original.file()), rebuilt.file(), 40);
        // Without systemd the SSH host keys are made at build time on purpose, and listed as such:
        // they are the only entries that may differ.
        List<String> intended =
            ssh.manifest().build().nonReproducible().stream().map(path -> "." + path).toList();
        List<String> differing =
            diff.stream()
                .filter(l -> l.startsWith("./"))
                .map(l -> l.lines().findFirst().orElse(l)) // an entry: its path, then both sides
                .toList();
        if (!differing.isEmpty() && intended.containsAll(differing)) {
          assertEquals(intended.size(), differing.size(), "every listed key differs: " + diff);
          continue;
        }
        fail(
            original.file()
                + " is not reproducible: sha256 "
                + original.sha256()
                + " then "
                + rebuilt.sha256()
                + " (entries made at build time on purpose: "
                + intended
                + ")\n"
                + (diff.isEmpty()
                    ? "same entries; the compression differs"
                    : String.join("\n", diff)));
      }
    }
    try (ImageIndex idx = ImageIndex.open(index)) {
      assertEquals(
          2, idx.buildsOfSpec(spec.specHash()).size(), "both builds of the spec are recorded");
    }
  }

  private static String stageId(Manifest manifest, String type) {
    return manifest.build().stages().stream()
        .filter(s -> s.type().equals(type))
        .findFirst()
        .orElseThrow()
        .id();
  }

  @Test
  @Order(10)
  void withTheIndexDeletedACopyOfTheTarballIsIdentifiedByItsEmbeddedManifest() throws Exception {
    Path copy = Files.createDirectories(work.resolve("elsewhere")).resolve("copy-of-image.tar.zst");
    Files.copy(ssh.tarball(), copy);
    for (String suffix : List.of("", "-wal", "-shm")) {
      Files.deleteIfExists(cache.resolve("index.db" + suffix));
    }

    CliRun run = cli("lookup", copy.toString(), "--cache", cache.toString());
    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    assertEquals(ssh.requested(), ImageSpec.fromJson(run.out()));
    assertTrue(run.err().contains("read the manifest embedded in the image"), run::toString);

    try (ImageIndex idx = ImageIndex.open(index)) {
      Identification id = idx.identify(copy).orElseThrow();
      assertEquals(Identification.Source.EMBEDDED, id.source());
      assertEquals(ssh.sha256(), id.sha256());
      assertEquals(ssh.requested().specHash(), id.manifest().specHash());
      assertEquals(ssh.requested(), id.manifest().toSpec());
      assertEquals(
          ssh.manifest().lock(), id.manifest().lock(), "the embedded lock is the recorded one");
    }
  }
}
