package io.imagebuilder.samples.bench;

import io.imagebuilder.manifest.api.ManifestRepository;
import io.imagebuilder.manifest.api.Manifests;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The repositories our build read, as the {@code deb URI SUITE COMPONENTS} lines mmdebstrap takes
 * in place of a mirror, so the peer builds from the same suites (the series with its updates and
 * security suites) instead of the series alone. Taken from our manifest, or before a build from the
 * options of the bootstrap stage the peer replaces, so the suite rules live in one place, the
 * library.
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

  /**
   * The source lines of the archive a {@code rootfs.bootstrap} stage reads, from its {@code
   * archive} option: the series on the mirror, then each suite it reads beside it.
   */
  static List<String> ofBootstrapOptions(Map<String, Object> options) {
    Map<?, ?> archive = map(options.get("archive"), "archive");
    String components = String.join(" ", strings(archive.get("components"), "archive.components"));
    List<String> lines = new ArrayList<>();
    lines.add("deb " + archive.get("mirror") + " " + archive.get("series") + " " + components);
    Object besides = archive.get("besides");
    for (Object suite : besides instanceof List<?> l ? l : List.of()) {
      Map<?, ?> s = map(suite, "archive.besides[]");
      lines.add("deb " + s.get("uri") + " " + s.get("suite") + " " + components);
    }
    return lines;
  }

  private static Map<?, ?> map(Object value, String name) {
    if (value instanceof Map<?, ?> m) {
      return m;
    }
    throw new IllegalArgumentException(
        "the bootstrap stage's option '" + name + "' is " + value + " (expected an object)");
  }

  private static List<String> strings(Object value, String name) {
    if (value instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    throw new IllegalArgumentException(
        "the bootstrap stage's option '" + name + "' is " + value + " (expected a list)");
  }
}
