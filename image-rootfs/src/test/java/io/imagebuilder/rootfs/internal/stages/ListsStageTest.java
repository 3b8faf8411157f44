package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.LocalPackage;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.internal.testing.TestStageContext;
import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import io.imagebuilder.rootfs.internal.localrepo.LocalRepository;
import io.imagebuilder.rootfs.testing.Debs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListsStageTest {
  @TempDir Path temp;

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
    new ListsStage(ListsStage.Options.of(spec)).run(context);
    assertEquals(List.of(), context.argvs(), "nothing ran in the target");
    assertTrue(
        Files.exists(context.rootfs().resolve("etc/resolv.conf")),
        "the host's DNS settings for apt");
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
      new ListsStage(ListsStage.Options.of(spec)).run(context);
    } finally {
      System.clearProperty("imagebuilder.nativeLists");
    }
    assertEquals(List.of(List.of("apt-get", "update")), context.argvs());
    assertFalse(Files.exists(context.rootfs().resolve("var/lib/apt/lists")));
  }

  @Test
  void runsAfterEveryStageThatWritesSourcesAndBeforeTheInstalls() {
    ImageSpec spec =
        ImageSpec.builder("bookworm")
            .architecture(Architecture.AMD64)
            .addPackage("curl")
            .addLocalPackage(new LocalPackage("https://files.example.org/tool.deb", "a".repeat(64)))
            .build();
    List<String> types =
        new RootfsStageProvider()
            .stages(spec).stream()
                .sorted(Comparator.comparing(Stage::phase).thenComparingInt(Stage::orderInPhase))
                .map(Stage::type)
                .toList();
    assertEquals(
        List.of("rootfs.sources", "rootfs.local-repository", "rootfs.lists", "rootfs.packages"),
        types.subList(1, 5),
        types.toString());
  }
}
