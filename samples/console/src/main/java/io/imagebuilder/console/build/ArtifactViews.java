package io.imagebuilder.console.build;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.board.Boards;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A build result's artifacts as the console shows them, wherever the build ran. */
public final class ArtifactViews {
  private ArtifactViews() {}

  /**
   * The artifacts of {@code result}, each with the qemu line that boots it when it is a disk image
   * of a board qemu emulates.
   *
   * @param board the spec's board, or null for a rootfs
   */
  public static List<ArtifactView> of(BuildResult result, String board) {
    List<ArtifactView> out = new ArrayList<>();
    for (Artifact a : result.artifacts()) {
      String name = a.file().getFileName().toString();
      String launch =
          board == null || !a.format().isDiskImage()
              ? null
              : Boards.lookup(board).flatMap(bd -> bd.launchCommand(Path.of(name))).orElse(null);
      out.add(new ArtifactView(name, a.format().toString(), a.size(), a.sha256(), launch));
    }
    return out;
  }
}
