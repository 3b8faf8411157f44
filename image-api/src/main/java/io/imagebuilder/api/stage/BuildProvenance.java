package io.imagebuilder.api.stage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a build's contents came from, as its stages found out: the repositories packages were read
 * from, each installed package's .deb, the base image it started from and the partitions of its
 * disk images. The stages that learn a fact add it through the typed {@link StageContext} methods
 * ({@link StageContext#addRepository}, {@link StageContext#addPackageOrigins}, {@link
 * StageContext#setBaseImage}, {@link StageContext#addPartitions}); the engine keeps it for the
 * build and the manifest writer reads it with {@link StageContext#provenance()}. The producing
 * modules and the manifest share only this record, not each other's types.
 *
 * @param repositories every repository packages were read from, in the order first used
 * @param packageOrigins the origin of each installed package's .deb, by package name
 * @param baseImage the base image the build started from, or null when it bootstrapped
 * @param partitions the partitions of each disk image artifact, by the artifact's file name (a
 *     compressed copy such as {@code board.img.xz} may list the same partitions)
 * @param nonReproducible the image paths whose content a stage made at build time on purpose and a
 *     rebuild does not repeat (SSH host keys of an image without an init to make them), sorted
 */
public record BuildProvenance(
    List<UsedRepository> repositories,
    Map<String, PackageOrigin> packageOrigins,
    BaseImage baseImage,
    Map<String, List<ImagePartition>> partitions,
    List<String> nonReproducible) {
  /** Nothing known yet. */
  public static final BuildProvenance EMPTY =
      new BuildProvenance(List.of(), Map.of(), null, Map.of(), List.of());

  /** The context fact that holds it, so whatever keeps a stage's facts keeps this too. */
  static final ContextKey<BuildProvenance> KEY =
      ContextKey.of("build.provenance", BuildProvenance.class);

  /**
   * Copies the collections (origins and partitions sorted by key, so equal facts are equal data).
   *
   * @param repositories every repository packages were read from, in the order first used
   * @param packageOrigins the origin of each installed package's .deb, by package name
   * @param baseImage the base image the build started from, or null when it bootstrapped
   * @param partitions the partitions of each disk image artifact, by the artifact's file name
   * @param nonReproducible the image paths made at build time on purpose; null is none
   */
  public BuildProvenance {
    nonReproducible =
        nonReproducible == null ? List.of() : List.copyOf(new java.util.TreeSet<>(nonReproducible));
    repositories = List.copyOf(repositories);
    packageOrigins = java.util.Collections.unmodifiableMap(new TreeMap<>(packageOrigins));
    Map<String, List<ImagePartition>> copy = new TreeMap<>();
    partitions.forEach((file, list) -> copy.put(file, List.copyOf(list)));
    partitions = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * Provenance with no intended non-reproducible content.
   *
   * @param repositories every repository packages were read from, in the order first used
   * @param packageOrigins the origin of each installed package's .deb, by package name
   * @param baseImage the base image the build started from, or null when it bootstrapped
   * @param partitions the partitions of each disk image artifact, by the artifact's file name
   */
  public BuildProvenance(
      List<UsedRepository> repositories,
      Map<String, PackageOrigin> packageOrigins,
      BaseImage baseImage,
      Map<String, List<ImagePartition>> partitions) {
    this(repositories, packageOrigins, baseImage, partitions, List.of());
  }

  BuildProvenance withRepository(UsedRepository repository) {
    List<UsedRepository> all = new ArrayList<>(repositories);
    all.add(repository);
    return new BuildProvenance(all, packageOrigins, baseImage, partitions, nonReproducible);
  }

  BuildProvenance withOrigins(Iterable<PackageOrigin> origins) {
    Map<String, PackageOrigin> all = new LinkedHashMap<>(packageOrigins);
    for (PackageOrigin o : origins) {
      all.put(o.name(), o);
    }
    return new BuildProvenance(repositories, all, baseImage, partitions, nonReproducible);
  }

  BuildProvenance withBaseImage(BaseImage base) {
    return new BuildProvenance(repositories, packageOrigins, base, partitions, nonReproducible);
  }

  BuildProvenance withPartitions(String artifactFileName, List<ImagePartition> list) {
    Map<String, List<ImagePartition>> all = new LinkedHashMap<>(partitions);
    all.put(artifactFileName, list);
    return new BuildProvenance(repositories, packageOrigins, baseImage, all, nonReproducible);
  }

  BuildProvenance withNonReproducible(List<String> paths) {
    List<String> all = new ArrayList<>(nonReproducible);
    all.addAll(paths);
    return new BuildProvenance(repositories, packageOrigins, baseImage, partitions, all);
  }
}
