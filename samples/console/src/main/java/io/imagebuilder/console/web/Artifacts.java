package io.imagebuilder.console.web;

import io.imagebuilder.console.build.ArtifactView;
import io.imagebuilder.console.build.BuildView;

/** Finds an artifact by the name a caller gives: only a name the build lists, never a path. */
final class Artifacts {
  private Artifacts() {}

  static ArtifactView find(BuildView build, String name) {
    if (name == null
        || name.isEmpty()
        || name.contains("/")
        || name.contains("\\")
        || name.contains("\0")
        || name.startsWith(".")) {
      throw new IllegalArgumentException(
          "invalid artifact name '"
              + (name == null ? "null" : name.replace("\0", "\\0"))
              + "' (expected the file name of one of the build's artifacts, e.g. "
              + build.artifacts().stream()
                  .map(ArtifactView::name)
                  .findFirst()
                  .orElse("image.tar.zst")
              + ")");
    }
    return build.artifacts().stream()
        .filter(a -> a.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new ApiErrors.NotFound(
                    "build "
                        + build.id()
                        + " has no artifact '"
                        + name
                        + "' (it has "
                        + build.artifacts().stream().map(ArtifactView::name).toList()
                        + ")"));
  }
}
