package io.imagebuilder.samples.bench;

import io.imagebuilder.manifest.api.ManifestRepository;
import io.imagebuilder.manifest.api.Manifests;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The repositories our build read, as the {@code deb URI SUITE COMPONENTS} lines mmdebstrap takes
 * in place of a mirror, so the peer builds from the same suites (the series with its updates and
 * security suites) instead of the series alone. Taken from our manifest, so the suite rules live in
 * one place, the library.
 */
final class PeerSources {
  private PeerSources() {}

  /** The source lines of the repositories in {@code manifestFile}, in the manifest's order. */
  static List<String> of(Path manifestFile) throws IOException {
    return of(Manifests.read(manifestFile).repositories());
  }

  static List<String> of(List<ManifestRepository> repositories) {
    if (repositories.isEmpty()) {
      throw new IllegalArgumentException(
          "the manifest lists no repository (expected the archive's suites our build read)");
    }
    return repositories.stream()
        .map(r -> "deb " + r.uri() + " " + r.suite() + " " + String.join(" ", r.components()))
        .toList();
  }
}
