package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.LocalPackage;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.spec.UserAccount;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.rootfs.internal.tar.RootfsTarball;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsStageProviderTest {
  private static ImageSpec.Builder bookworm() {
    return ImageSpec.builder("bookworm").architecture(Architecture.AMD64);
  }

  private static List<String> types(ImageSpec spec) {
    return new RootfsStageProvider().stages(spec).stream().map(Stage::type).toList();
  }

  @Test
  void aPlainRootfsNeedsNoPackageStage() {
    assertEquals(
        List.of(
            "rootfs.bootstrap",
            "rootfs.sources",
            "rootfs.customise",
            "rootfs.finalise",
            "rootfs.tarball"),
        types(bookworm().build()));
  }

  @Test
  void packagesAndSudoUsersAddThePackageStage() {
    assertTrue(types(bookworm().addPackage("curl").build()).contains("rootfs.packages"));
    assertTrue(
        types(bookworm().addUser(new UserAccount("pi", List.of(), true, null, List.of())).build())
            .contains("rootfs.packages"));
  }

  @Test
  void aBoardUpdatesThePackageListsForItsKernel() {
    ImageSpec spec =
        bookworm()
            .board("pc-amd64")
            .outputs(List.of(io.imagebuilder.api.spec.OutputFormat.RAW))
            .build();
    assertTrue(types(spec).contains("rootfs.packages"));
    assertEquals(
        "update the package lists", new PackagesStage(PackagesStage.Options.of(spec)).summary());
  }

  @Test
  void localPackagesAddTheSideRepositoryAndItsRemoval() {
    ImageSpec spec =
        bookworm().addLocalPackage(new LocalPackage("/tmp/x.deb", "a".repeat(64))).build();
    assertTrue(
        types(spec)
            .containsAll(List.of("rootfs.local-repository", "rootfs.local-repository-removal")));
    assertTrue(
        !types(spec.toBuilder().keepLocalRepository(true).build())
            .contains("rootfs.local-repository-removal"));
  }

  @Test
  void aBaseImageTakesThePlaceOfTheBootstrap(@TempDir Path temp) throws Exception {
    Files.createDirectories(temp.resolve("tree/etc"));
    Path base =
        RootfsTarball.write(
                temp.resolve("tree"), temp.resolve("base.tar.zst"), OutputFormat.TAR_ZST, 0)
            .file();

    assertEquals(
        List.of(
            "rootfs.base",
            "rootfs.sources",
            "rootfs.customise",
            "rootfs.finalise",
            "rootfs.tarball"),
        types(bookworm().baseImage(base.toString()).build()));
  }
}
