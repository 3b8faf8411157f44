package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.LocalPackage;
import io.imagebuilder.api.spec.UserAccount;
import io.imagebuilder.api.stage.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

class RootfsStageProviderTest {
  private static ImageSpec.Builder bookworm() {
    return ImageSpec.builder("bookworm").architecture(Architecture.AMD64);
  }

  private static List<String> types(ImageSpec spec) {
    return new RootfsStageProvider().stages(spec).stream().map(Stage::type).toList();
  }

  @Test
  void aPlainRootfsNeedsNoPackageStage() {
    assertEquals(List.of("rootfs.bootstrap", "rootfs.sources", "rootfs.customise", "rootfs.finalise", "rootfs.tarball"),
        types(bookworm().build()));
  }

  @Test
  void packagesAndSudoUsersAddThePackageStage() {
    assertTrue(types(bookworm().addPackage("curl").build()).contains("rootfs.packages"));
    assertTrue(types(bookworm().addUser(new UserAccount("pi", List.of(), true, null, List.of())).build())
        .contains("rootfs.packages"));
  }

  @Test
  void aBoardUpdatesThePackageListsForItsKernel() {
    ImageSpec spec = bookworm().board("pc-amd64").outputs(List.of(io.imagebuilder.api.spec.OutputFormat.RAW)).build();
    assertTrue(types(spec).contains("rootfs.packages"));
    assertEquals("update the package lists", new PackagesStage(spec).summary());
  }

  @Test
  void localPackagesAddTheSideRepositoryAndItsRemoval() {
    ImageSpec spec = bookworm().addLocalPackage(new LocalPackage("/tmp/x.deb", "a".repeat(64))).build();
    assertTrue(types(spec).containsAll(List.of("rootfs.local-repository", "rootfs.local-repository-removal")));
    assertTrue(!types(spec.toBuilder().keepLocalRepository(true).build()).contains("rootfs.local-repository-removal"));
  }

  @Test
  void aBaseImageIsRefusedClearlyUntilItIsSupported() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> types(bookworm().baseImage("/srv/base.tar.zst").build()));
    assertTrue(e.getMessage().startsWith("building from a base image ('/srv/base.tar.zst') is not supported yet"), e.getMessage());
  }
}
