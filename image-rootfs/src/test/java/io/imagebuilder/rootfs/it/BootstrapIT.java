package io.imagebuilder.rootfs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.event.StageStarted;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import io.imagebuilder.rootfs.internal.localrepo.LocalRepository;
import io.imagebuilder.rootfs.testing.Debs;
import io.imagebuilder.rootfs.testing.DirectoryServer;
import io.imagebuilder.rootfs.testing.ItEnvironment;
import io.imagebuilder.rootfs.testing.ItEnvironment.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bootstraps real bookworm images from the Debian archive: amd64 natively, arm64 under qemu-user,
 * with extra packages and a signed side repository served on loopback.
 */
class BootstrapIT {
  private static final String FIXTURE = "ib-fixture-greeter";

  @TempDir static Path temp;
  private static DirectoryServer server;
  private static Path sideRepo;
  private static ArchiveKey sideKey;

  @BeforeAll
  static void serveASignedSideRepository() throws Exception {
    Path debs = Files.createDirectories(temp.resolve("debs"));
    Path greeter =
        Debs.build(
            debs,
            FIXTURE,
            "1.0-1",
            "all",
            Map.of("/usr/bin/ib-greet", "#!/bin/sh\necho hello from the side repository\n"));
    sideKey = ArchiveKey.generate("side repository test key");
    sideRepo = temp.resolve("side-repo");
    LocalRepository.write(sideRepo, List.of(greeter), "arm64", sideKey, Instant.now());
    server = DirectoryServer.serve(sideRepo, "");
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private static String sideRepoUri() {
    return server.uri();
  }

  private static Path keyFile(String name, byte[] key) throws Exception {
    return Files.write(temp.resolve(name), key);
  }

  @Test
  void amd64MinbaseBuildsNativelyAndTheSameSpecGivesTheSameBytes() throws Exception {
    ImageBuilder builder = ImageBuilder.forSeries("bookworm").forArchitecture(Architecture.AMD64);
    BuildResult first = builder.build(ItEnvironment.run(temp.resolve("amd64-1")));
    BuildResult second =
        ImageBuilder.fromSpec(first.spec()).build(ItEnvironment.run(temp.resolve("amd64-2")));

    assertEquals("native", first.executor());
    Artifact tarball = first.artifacts().get(0);
    assertEquals(tarball.sha256(), second.artifacts().get(0).sha256(), "byte-identical tarballs");
    assertTrue(
        Arrays.equals(
            Files.readAllBytes(tarball.file()),
            Files.readAllBytes(second.artifacts().get(0).file())));
    Path root = ItEnvironment.extract(tarball.file(), temp.resolve("amd64-root"));
    List<String> status =
        ItEnvironment.host(
                List.of(
                    "chroot",
                    root.toString(),
                    "dpkg-query",
                    "-W",
                    "-f",
                    "${db:Status-Abbrev}${binary:Package}\n"))
            .lines()
            .toList();
    assertTrue(status.size() > 80, status.toString());
    assertEquals(
        List.of(),
        status.stream().filter(l -> !l.startsWith("ii ")).toList(),
        "every package is ii");
  }

  /**
   * The essential set's configure runs with native helpers under qemu-user; a fully emulated one
   * (helpers off, its own tree cache) must give the same bytes.
   */
  @Test
  void arm64MinbaseWithNativeHelpersIsTheFullyEmulatedOne() throws Exception {
    Map<Boolean, BuildResult> built = new java.util.LinkedHashMap<>();
    for (boolean helpers : List.of(true, false)) {
      Path cache = Files.createDirectories(temp.resolve("helpers-" + helpers + "/cache"));
      Files.createSymbolicLink(
          cache.resolve("packages"),
          Files.createDirectories(ItEnvironment.cacheDir().resolve("packages")));
      String before = System.setProperty("imagebuilder.nativeHelpers", String.valueOf(helpers));
      try {
        built.put(
            helpers,
            ImageBuilder.forSeries("bookworm")
                .forArchitecture(Architecture.ARM64)
                .build(
                    RunConfiguration.into(temp.resolve("helpers-" + helpers + "/out"))
                        .withCacheDir(cache)));
      } finally {
        if (before == null) {
          System.clearProperty("imagebuilder.nativeHelpers");
        } else {
          System.setProperty("imagebuilder.nativeHelpers", before);
        }
      }
    }
    assertEquals("qemu-user", built.get(true).executor());
    assertEquals(
        built.get(false).artifacts().get(0).sha256(),
        built.get(true).artifacts().get(0).sha256(),
        "the same tarball with and without native helpers");
  }

  @Test
  void arm64UnderQemuWithExtraPackagesAndASignedSideRepository() throws Exception {
    Path key = keyFile("side.asc", sideKey.armoredPublicKey());
    BuildResult result =
        ImageBuilder.forSeries("bookworm")
            .forArchitecture("arm64")
            .withPackages("openssh-server", "curl", FIXTURE)
            .withRepository(
                "side",
                sideRepoUri(),
                LocalRepository.SUITE,
                List.of(LocalRepository.COMPONENT),
                key)
            .build(ItEnvironment.run(temp.resolve("arm64")));

    assertEquals("qemu-user", result.executor());
    Path root = ItEnvironment.extract(result.artifacts().get(0).file(), temp.resolve("arm64-root"));
    assertFalse(
        Files.exists(root.resolve("usr/sbin/policy-rc.d")), "no policy-rc.d left in the image");
    // no systemd to make them at first boot: the keys made at build time stay, recorded
    assertTrue(
        Files.list(root.resolve("etc/ssh"))
            .anyMatch(p -> p.getFileName().toString().equals("ssh_host_ed25519_key")),
        "the SSH host keys stay in an image without systemd");
    assertTrue(
        Files.readString(result.manifest().orElseThrow())
            .contains("\"/etc/ssh/ssh_host_ed25519_key\""),
        "the manifest lists the host keys as non-reproducible");
    try (Target target = new Target(root, Architecture.ARM64)) {
      List<String> rows =
          target
              .run("dpkg", "-l")
              .lines()
              .filter(l -> l.matches("^[a-zA-Z][a-zA-Z ][a-zA-Z ] .*"))
              .toList();
      assertEquals(
          List.of(), rows.stream().filter(l -> !l.startsWith("ii ")).toList(), "only ii rows");
      for (String p : List.of("openssh-server", "curl", FIXTURE)) {
        assertTrue(
            rows.stream()
                .anyMatch(l -> l.startsWith("ii  " + p + " ") || l.startsWith("ii  " + p + ":")),
            p);
      }
      assertEquals("aarch64\n", target.run("uname", "-m"));
      target.run("sh", "-c", "mkdir -p /run/sshd && /usr/sbin/sshd -t");
      assertEquals("hello from the side repository\n", target.run("ib-greet"));
      target.run("apt-get", "update");
      target.run("apt-get", "install", "-y", "hello");
      assertEquals("Hello, world!\n", target.run("hello"));
    }
  }

  @Test
  void aSideRepositoryConfiguredWithAnotherKeyFailsNamingTheSourceAndTheKey() throws Exception {
    Path wrongKey = keyFile("wrong.asc", ArchiveKey.generate("not the signer").armoredPublicKey());
    List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();
    ImageBuilder builder =
        ImageBuilder.forSeries("bookworm")
            .forArchitecture("arm64")
            .withRepository(
                "side",
                sideRepoUri(),
                LocalRepository.SUITE,
                List.of(LocalRepository.COMPONENT),
                wrongKey);
    ImageBuildException e =
        assertThrows(
            ImageBuildException.class,
            () ->
                builder.build(
                    ItEnvironment.run(temp.resolve("wrong-key"))
                        .onEvent(StageStarted.class, s -> started.add(s.stageType()))));
    assertTrue(e.getMessage().contains("source 'side'"), e.getMessage());
    assertTrue(e.getMessage().contains(wrongKey.toString()), e.getMessage());
    assertTrue(
        e.getMessage().contains(sideKey.fingerprint()),
        "names the key that did sign: " + e.getMessage());
    assertEquals(List.of(), started, "it fails before any stage runs");
  }
}
