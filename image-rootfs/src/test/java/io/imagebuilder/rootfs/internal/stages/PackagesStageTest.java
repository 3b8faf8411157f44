package io.imagebuilder.rootfs.internal.stages;

import static io.imagebuilder.rootfs.internal.stages.AptCommands.aptInstall;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.UserAccount;
import io.imagebuilder.api.stage.PackageOrigin;
import io.imagebuilder.internal.testing.TestStageContext;
import io.imagebuilder.rootfs.testing.Debs;
import java.nio.file.Files;
import java.nio.file.Path;
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
            // no apt-get update: rootfs.lists wrote the lists
            aptInstall("--download-only", "openssh-server", "sudo"),
            aptInstall("openssh-server", "sudo"),
            List.of("apt-get", "purge", "--yes", "--auto-remove", "nano")),
        context.argvs());
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
