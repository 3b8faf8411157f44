package io.imagebuilder.rootfs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.LockedPackagesMissingException;
import io.imagebuilder.api.event.StageStarted;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.Lock;
import io.imagebuilder.api.spec.Lock.LockedPackage;
import io.imagebuilder.api.spec.Lock.LockedRepository;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.io.SafeDelete;
import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import io.imagebuilder.rootfs.internal.localrepo.LocalRepository;
import io.imagebuilder.rootfs.testing.Debs;
import io.imagebuilder.rootfs.testing.DirectoryServer;
import io.imagebuilder.rootfs.testing.ItEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lock makes a build reproducible after its repository moved on: real bookworm amd64 plus package
 * {@code p} from a signed side repository on loopback. The build with p 1.0 writes a lock; then p
 * 2.0 replaces 1.0 in the repository; the build from the lock gives the same tarball bytes (p 1.0's
 * .deb now only in the package cache), the build without it gets 2.0; with p 1.0 gone from the
 * cache too, the locked build fails before any stage, naming p and its version.
 *
 * <p>Both compared builds leave out {@code manifest.embed}: the embedded manifest names the spec,
 * whose lock makes it another spec, and the InRelease each build read, which has changed.
 */
class LockIT {
  private static final String P = "ib-lock-p";

  @TempDir static Path temp;
  private static DirectoryServer server;
  private static Path repo;
  private static ArchiveKey key;
  private static Path keyFile;
  private static Path p10Deb;

  @BeforeAll
  static void serveASignedSideRepositoryWithP10() throws Exception {
    key = ArchiveKey.generate("lock test key");
    keyFile = Files.write(temp.resolve("side.asc"), key.armoredPublicKey());
    repo = temp.resolve("side-repo");
    p10Deb = p("1.0");
    publish(p10Deb);
    server = DirectoryServer.serve(repo, "");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** A p of {@code version} whose file says which version it is. */
  private static Path p(String version) throws Exception {
    Path dir = Files.createDirectories(temp.resolve("debs-" + version));
    return Debs.build(
        dir, P, version, "all", Map.of("/usr/share/ib-lock-p/version", "p " + version + "\n"));
  }

  /** The repository lists exactly {@code deb}: the old version's index and pool file are gone. */
  private static void publish(Path deb) throws Exception {
    if (Files.exists(repo)) {
      SafeDelete.deleteTreeOrThrow(repo);
    }
    LocalRepository.write(repo, List.of(deb), "amd64", key, Instant.now());
  }

  private static ImageBuilder image() {
    return ImageBuilder.forSeries("bookworm")
        .forArchitecture(Architecture.AMD64)
        .withRepository(
            "side",
            server.uri(),
            LocalRepository.SUITE,
            List.of(LocalRepository.COMPONENT),
            keyFile)
        .withPackages(P)
        .withPlanTransform(plan -> plan.remove("manifest.embed"));
  }

  private static String tarballSha256(BuildResult result) {
    return result.artifacts().get(0).sha256();
  }

  @Test
  void aLockedBuildIsByteIdenticalAfterTheRepositoryMovedOnAndFailsNamingWhatIsGone()
      throws Exception {
    String p10 = Sha256.ofFile(p10Deb);
    long started = System.nanoTime();
    BuildResult first = image().build(ItEnvironment.run(temp.resolve("first")));
    System.out.printf("unlocked build with p 1.0: %.1f s%n", (System.nanoTime() - started) / 1e9);

    Path lockFile = first.lockFile().orElseThrow();
    assertEquals(
        first
            .manifest()
            .orElseThrow()
            .resolveSibling(
                first
                    .manifest()
                    .orElseThrow()
                    .getFileName()
                    .toString()
                    .replace(".manifest.json", ".lock")),
        lockFile);
    Lock lock = Lock.read(lockFile);
    LockedPackage locked = lock.find(P, "all");
    assertNotNull(locked, lock.toJson());
    assertEquals("1.0", locked.version());
    assertEquals(p10, locked.sha256(), "the lock pins the .deb p 1.0 was installed from");
    assertEquals("side", locked.repository());
    assertTrue(lock.packages().size() > 80, "the bootstrap set is locked too");
    assertEquals(
        List.of(),
        lock.packages().stream().filter(x -> x.sha256() == null).toList(),
        "every package has its .deb sha256");
    LockedRepository side =
        lock.repositories().stream().filter(r -> r.name().equals("side")).findFirst().orElseThrow();
    assertEquals(server.uri(), side.uri());
    assertEquals(Sha256.ofFile(repo.resolve("dists/local/InRelease")), side.inReleaseSha256());
    assertTrue(key.fingerprint().equalsIgnoreCase(side.keyFingerprint()), side.keyFingerprint());
    assertTrue(
        lock.repositories().stream().anyMatch(r -> r.uri().contains("deb.debian.org")),
        lock.repositories().toString());
    assertNotNull(lock.sourceDateEpoch());

    // the repository moves on: p 2.0 replaces 1.0
    publish(p("2.0"));

    started = System.nanoTime();
    BuildResult relocked =
        image().withLock(lockFile).build(ItEnvironment.run(temp.resolve("locked")));
    System.out.printf("locked build: %.1f s%n", (System.nanoTime() - started) / 1e9);
    assertNotEquals(first.specHash(), relocked.specHash(), "the lock is part of the spec");
    assertEquals(tarballSha256(first), tarballSha256(relocked), "byte-identical tarballs");
    assertEquals(
        lock.packages(),
        Lock.read(relocked.lockFile().orElseThrow()).packages(),
        "the locked build installed exactly the locked packages");

    BuildResult unlocked = image().build(ItEnvironment.run(temp.resolve("unlocked")));
    LockedPackage now = Lock.read(unlocked.lockFile().orElseThrow()).find(P, "all");
    assertEquals("2.0", now.version(), "without the lock the build takes what the index lists");
    assertNotEquals(tarballSha256(first), tarballSha256(unlocked));

    // p 1.0 gone from the package cache as well: nothing serves it any more
    Files.delete(ItEnvironment.cacheDir().resolve("packages").resolve(p10));
    List<String> stages = new CopyOnWriteArrayList<>();
    ImageBuildException e =
        assertThrows(
            ImageBuildException.class,
            () ->
                image()
                    .withLock(lockFile)
                    .build(
                        ItEnvironment.run(temp.resolve("gone"))
                            .onEvent(StageStarted.class, s -> stages.add(s.stageType()))));
    assertTrue(e.getMessage().contains(P + " 1.0 (all, .deb sha256 " + p10), e.getMessage());
    assertTrue(e.getMessage().contains("cannot obtain 1 locked package"), e.getMessage());
    assertTrue(
        e.getCause() instanceof LockedPackagesMissingException m && m.missing().size() == 1,
        "a caller tells a lock that is no longer satisfiable apart: " + e);
    assertEquals(List.of(), stages, "it fails before any stage runs");
  }
}
