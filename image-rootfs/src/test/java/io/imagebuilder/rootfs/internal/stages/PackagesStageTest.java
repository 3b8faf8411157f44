package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.UserAccount;
import io.imagebuilder.api.stage.PackageOrigin;
import io.imagebuilder.internal.testing.TestStageContext;
import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import io.imagebuilder.rootfs.internal.localrepo.LocalRepository;
import io.imagebuilder.rootfs.testing.Debs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackagesStageTest {
  @TempDir Path temp;

  @Test
  void installsWithoutRecommendsAndPurgesTheExcluded() throws Exception {
    ImageSpec spec =
        ImageSpec.builder("bookworm")
            .architecture(Architecture.AMD64)
            .addPackage("openssh-server")
            .addExcludedPackage("nano")
            .addUser(new UserAccount("pi", List.of(), true, null, List.of()))
            .build();
    TestStageContext context =
        new TestStageContext(spec, Files.createDirectories(temp.resolve("root")), temp);
    new PackagesStage(PackagesStage.Options.of(spec)).run(context);
    assertEquals(
        List.of(
            List.of("apt-get", "update"),
            List.of(
                "apt-get",
                "install",
                "--yes",
                "--no-install-recommends",
                "--download-only",
                "openssh-server",
                "sudo"),
            List.of(
                "apt-get", "install", "--yes", "--no-install-recommends", "openssh-server", "sudo"),
            List.of("apt-get", "purge", "--yes", "--auto-remove", "nano")),
        context.argvs());
  }

  /**
   * An image whose only source is a signed repository inside it, as the local-repository stage
   * makes.
   */
  private Path imageWithALocalRepository() throws Exception {
    Path root = Files.createDirectories(temp.resolve("root"));
    Path deb = Debs.build(temp, "tool", "1.0", "amd64", Map.of("/usr/bin/tool", "#!/bin/sh\n"));
    ArchiveKey key = ArchiveKey.generate("local");
    LocalRepository.write(
        root.resolve(LocalRepositoryStage.DIR.substring(1)),
        List.of(deb),
        "amd64",
        key,
        Instant.ofEpochSecond(1_700_000_000L));
    RootfsFiles.write(root, LocalRepositoryStage.KEY, key.armoredPublicKey(), 0644);
    Deb822Source source =
        new Deb822Source(
            LocalRepositoryStage.NAME,
            "file:" + LocalRepositoryStage.DIR,
            List.of(LocalRepository.SUITE),
            List.of(LocalRepository.COMPONENT),
            LocalRepositoryStage.KEY);
    RootfsFiles.writeText(root, source.path(), source.render());
    return root;
  }

  @Test
  void writesAptsListsNativelyInsteadOfRunningAptGetUpdate() throws Exception {
    ImageSpec spec =
        ImageSpec.builder("bookworm").architecture(Architecture.AMD64).addPackage("tool").build();
    TestStageContext context = new TestStageContext(spec, imageWithALocalRepository(), temp);
    new PackagesStage(PackagesStage.Options.of(spec)).run(context);
    assertEquals(
        List.of(
            List.of(
                "apt-get",
                "install",
                "--yes",
                "--no-install-recommends",
                "--download-only",
                "tool"),
            List.of("apt-get", "install", "--yes", "--no-install-recommends", "tool")),
        context.argvs());
    assertTrue(
        Files.isRegularFile(
            context
                .rootfs()
                .resolve(
                    "var/lib/apt/lists/_var_lib_imagebuilder_local-repository_dists_local_InRelease")));
    assertTrue(
        Files.isSymbolicLink(
            context
                .rootfs()
                .resolve(
                    "var/lib/apt/lists/_var_lib_imagebuilder_local-repository_dists_local_main_binary-amd64_Packages")));
  }

  @Test
  void aSystemPropertyLeavesTheListsToApt() throws Exception {
    ImageSpec spec =
        ImageSpec.builder("bookworm").architecture(Architecture.AMD64).addPackage("tool").build();
    TestStageContext context = new TestStageContext(spec, imageWithALocalRepository(), temp);
    System.setProperty("imagebuilder.nativeLists", "false");
    try {
      new PackagesStage(PackagesStage.Options.of(spec)).run(context);
    } finally {
      System.clearProperty("imagebuilder.nativeLists");
    }
    assertEquals(List.of("apt-get", "update"), context.argvs().get(0));
    assertFalse(Files.exists(context.rootfs().resolve("var/lib/apt/lists")));
  }

  @Test
  void recordsWhereEachDownloadedPackageCameFrom() throws Exception {
    ImageSpec spec =
        ImageSpec.builder("bookworm").architecture(Architecture.AMD64).addPackage("tool").build();
    Path root = Files.createDirectories(temp.resolve("root"));
    Path archives = Files.createDirectories(root.resolve("var/cache/apt/archives"));
    Path tool =
        Debs.build(archives, "tool", "2.0-1", "amd64", Map.of("/usr/bin/tool", "#!/bin/sh\n"));
    Debs.build(archives, "other", "1.0", "all", Map.of("/usr/share/other", "x\n"));
    String toolSha =
        com.google.common.io.Files.asByteSource(tool.toFile())
            .hash(com.google.common.hash.Hashing.sha256())
            .toString();
    TestStageContext context = new TestStageContext(spec, root, temp);
    ArchiveHashes.remember(context, toolSha, "vendor");

    new PackagesStage(PackagesStage.Options.of(spec)).run(context);

    Map<String, PackageOrigin> origins = context.provenance().packageOrigins();
    assertEquals(
        new PackageOrigin("tool", "2.0-1", "amd64", toolSha, "vendor"), origins.get("tool"));
    assertNull(origins.get("other").repository(), "a .deb no repository offered has no repository");
    assertEquals(64, origins.get("other").debSha256().length());
  }
}
