package io.imagebuilder.manifest.api;

import java.util.List;

/**
 * What it takes to install the same package set again: every package as {@code name:arch=version}
 * (the form {@code apt-get install} accepts, unambiguous with epochs), sorted, and every repository
 * with the exact InRelease it was read from (its sha256 and Date, e.g. to pick the matching
 * snapshot.debian.org timestamp).
 *
 * @param packages {@code name:arch=version} per installed package, sorted
 * @param repositories the repositories, each pinned to its InRelease
 * @param sourceDateEpoch the timestamp clamp, or null
 */
public record Lock(
    List<String> packages, List<LockedRepository> repositories, Long sourceDateEpoch) {
  /**
   * Copies the lists; null is empty.
   *
   * @param packages {@code name:arch=version} per installed package, sorted
   * @param repositories the repositories, each pinned to its InRelease
   * @param sourceDateEpoch the timestamp clamp, or null
   */
  public Lock {
    packages = packages == null ? List.of() : List.copyOf(packages);
    repositories = repositories == null ? List.of() : List.copyOf(repositories);
  }

  /**
   * A repository pinned to one InRelease.
   *
   * @param name the source's name
   * @param uri archive root
   * @param suite suite or code name
   * @param components components used
   * @param inReleaseSha256 sha256 of the InRelease bytes
   * @param date the Release file's Date
   */
  public record LockedRepository(
      String name,
      String uri,
      String suite,
      List<String> components,
      String inReleaseSha256,
      String date) {
    /**
     * Copies the components; null is none.
     *
     * @param name the source's name
     * @param uri archive root
     * @param suite suite or code name
     * @param components components used
     * @param inReleaseSha256 sha256 of the InRelease bytes
     * @param date the Release file's Date
     */
    public LockedRepository {
      components = components == null ? List.of() : List.copyOf(components);
    }
  }

  /**
   * The lock of {@code packages} from {@code repositories}.
   *
   * @param packages the installed packages
   * @param repositories the repositories they came from
   * @param sourceDateEpoch the timestamp clamp, or null
   * @return the lock, packages sorted
   */
  public static Lock of(
      List<ManifestPackage> packages, List<ManifestRepository> repositories, Long sourceDateEpoch) {
    return new Lock(
        packages.stream().map(ManifestPackage::lockEntry).sorted().toList(),
        repositories.stream()
            .map(
                r ->
                    new LockedRepository(
                        r.name(),
                        r.uri(),
                        r.suite(),
                        r.components(),
                        r.inReleaseSha256(),
                        r.date()))
            .toList(),
        sourceDateEpoch);
  }
}
