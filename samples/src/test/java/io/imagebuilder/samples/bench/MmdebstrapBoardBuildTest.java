package io.imagebuilder.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imagebuilder.api.ImageBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MmdebstrapBoardBuildTest {
  @Test
  void mmdebstrapReplacesBootstrapAndPackagesAndEveryOtherStageStays() {
    ImageBuilder plain =
        ImageBuilder.forSeries("bookworm").forBoard("qemu-arm64").withPackages("openssh-server");
    List<String> expected = new ArrayList<>(plain.plan().types());
    expected.set(expected.indexOf("rootfs.bootstrap"), MmdebstrapStage.TYPE);
    expected.remove("rootfs.lists");
    expected.remove("rootfs.packages");
    ImageBuilder peer =
        MmdebstrapBoardBuild.withMmdebstrap(
            ImageBuilder.forSeries("bookworm")
                .forBoard("qemu-arm64")
                .withPackages("openssh-server"),
            Path.of("timing"),
            Path.of("log"));
    assertEquals(expected, peer.plan().types());
    assertEquals(MmdebstrapStage.TYPE, expected.get(0));
  }

  /** The peer reads the suites our bootstrap reads: the series, its updates and security suites. */
  @Test
  void mmdebstrapReadsTheSuitesOfTheBootstrapItReplaces() {
    ImageBuilder plain = ImageBuilder.forSeries("bookworm").forBoard("qemu-arm64");
    assertEquals(
        List.of(
            "deb http://deb.debian.org/debian bookworm main",
            "deb http://deb.debian.org/debian bookworm-updates main",
            "deb http://deb.debian.org/debian-security bookworm-security main"),
        MmdebstrapBoardBuild.sources(plain.plan()));
    assertEquals(
        List.of("deb http://deb.debian.org/debian bookworm main"),
        MmdebstrapBoardBuild.sources(plain.withoutUpdates().withoutSecurity().plan()));
  }

  @Test
  void anImageWithoutABoardIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MmdebstrapBoardBuild.withMmdebstrap(
                    ImageBuilder.forSeries("bookworm"), Path.of("t"), Path.of("l")));
    assertEquals("the mmdebstrap peer builds board images (expected --board)", e.getMessage());
  }
}
