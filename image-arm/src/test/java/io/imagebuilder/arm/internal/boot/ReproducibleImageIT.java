package io.imagebuilder.arm.internal.boot;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.arm.internal.disk.Artifacts;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same spec built twice, from two copies of the rootfs made at different times, gives the same bytes. */
// Their fixtures are made with mmdebstrap under qemu-user (20 min per architecture here): they run
// on request until they build on the library's own bootstrap, which fits the CI time budget.
@EnabledIfSystemProperty(named = "imagebuilder.disk.it", matches = "true",
    disabledReason = "disk image ITs run with -Dimagebuilder.disk.it=true (mmdebstrap fixtures)")
class ReproducibleImageIT {
  @ParameterizedTest
  @ValueSource(strings = {"qemu-arm64", "raspberrypi-4"})
  void theSameSpecBuiltTwiceGivesByteIdenticalImages(String board) throws Exception {
    BoardImages.Built a = BoardImages.build(board, List.of(OutputFormat.RAW), BoardImages.newWorkRoot(board + "-a"));
    Thread.sleep(2000);
    BoardImages.Built b = BoardImages.build(board, List.of(OutputFormat.RAW), BoardImages.newWorkRoot(board + "-b"));
    try {
      assertEquals(Artifacts.sha256(a.image()), Artifacts.sha256(b.image()), a.image() + " vs " + b.image());
      System.out.printf("%s: %s %d bytes, sha256 %s%n", board, a.image().getFileName(), a.context().artifacts().get(0).size(),
          a.context().artifacts().get(0).sha256());
    } finally {
      MmdebstrapFixture.delete(a.workRoot());
      MmdebstrapFixture.delete(b.workRoot());
    }
  }
}
