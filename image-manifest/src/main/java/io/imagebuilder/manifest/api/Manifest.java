package io.imagebuilder.manifest.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.Lock;
import io.imagebuilder.manifest.internal.ManifestJson;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that went into an image: the spec and its hash, the repositories, every installed
 * package, the artifacts, how it was built, and a lock to install the same package set again.
 * Written as JSON with sorted keys ({@link #toJson()}), {@code schemaVersion} {@value
 * #SCHEMA_VERSION}.
 *
 * <p>Two copies exist. The one beside the artifacts ({@code <image>.manifest.json}) and in the
 * index is complete. The one embedded in the image at {@link Manifests#EMBEDDED_PATH} ({@code
 * embedded: true}) cannot know the hashes of the artifact it is part of, so it has no artifacts,
 * and it leaves out all that differs between two builds of the same spec (stage durations, the
 * executor, the host architecture), so the image stays reproducible.
 *
 * @param schemaVersion the manifest format's version
 * @param embedded true for the copy inside the image
 * @param spec the spec as a JSON object (its canonical form hashes to {@code specHash})
 * @param specHash sha256 of the spec's canonical JSON
 * @param repositories the repositories packages were read from, in the order first used
 * @param packages every installed package, sorted by name then architecture
 * @param artifacts the files written; empty in the embedded copy
 * @param build how the image was built
 * @param lock the package set pinned for a rebuild
 * @param baseImage the base image it was built from, or null when it was bootstrapped (left out of
 *     the JSON then)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(
    int schemaVersion,
    boolean embedded,
    Map<String, Object> spec,
    String specHash,
    List<ManifestRepository> repositories,
    List<ManifestPackage> packages,
    List<ManifestArtifact> artifacts,
    BuildInfo build,
    Lock lock,
    ManifestBaseImage baseImage) {
  /** The manifest format this library writes and reads. */
  public static final int SCHEMA_VERSION = 1;

  /**
   * Checks the schema version, the spec and its hash, and copies the lists.
   *
   * @param schemaVersion the manifest format's version
   * @param embedded true for the copy inside the image
   * @param spec the spec as a JSON object (its canonical form hashes to {@code specHash})
   * @param specHash sha256 of the spec's canonical JSON
   * @param repositories the repositories packages were read from, in the order first used
   * @param packages every installed package, sorted by name then architecture
   * @param artifacts the files written; empty in the embedded copy
   * @param build how the image was built
   * @param lock the package set pinned for a rebuild
   * @param baseImage the base image it was built from, or null when it was bootstrapped (left out
   *     <p>of the JSON then)
   * @throws IllegalArgumentException if the schema version is unknown, the spec is missing or the
   *     spec hash is not a sha256
   */
  public Manifest {
    if (schemaVersion < 1 || schemaVersion > SCHEMA_VERSION) {
      throw new IllegalArgumentException(
          "unsupported manifest schemaVersion "
              + schemaVersion
              + " (expected 1 to "
              + SCHEMA_VERSION
              + ")");
    }
    if (spec == null) {
      throw new IllegalArgumentException(
          "manifest has no spec (expected the image spec as a JSON object)");
    }
    spec = Collections.unmodifiableMap(spec);
    Sha256s.require(specHash, "spec hash");
    repositories = repositories == null ? List.of() : List.copyOf(repositories);
    packages = packages == null ? List.of() : List.copyOf(packages);
    artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
  }

  /**
   * A manifest of a bootstrapped image (no base image).
   *
   * @param schemaVersion the manifest format's version
   * @param embedded true for the copy inside the image
   * @param spec the spec as a JSON object
   * @param specHash sha256 of the spec's canonical JSON
   * @param repositories the repositories packages were read from, in the order first used
   * @param packages every installed package, sorted by name then architecture
   * @param artifacts the files written; empty in the embedded copy
   * @param build how the image was built
   * @param lock the package set pinned for a rebuild
   */
  public Manifest(
      int schemaVersion,
      boolean embedded,
      Map<String, Object> spec,
      String specHash,
      List<ManifestRepository> repositories,
      List<ManifestPackage> packages,
      List<ManifestArtifact> artifacts,
      BuildInfo build,
      Lock lock) {
    this(
        schemaVersion,
        embedded,
        spec,
        specHash,
        repositories,
        packages,
        artifacts,
        build,
        lock,
        null);
  }

  /**
   * Reads a manifest; anything but a manifest of a known schema version is rejected.
   *
   * @param json a manifest as {@link #toJson()} writes it
   * @return the manifest
   * @throws IllegalArgumentException if {@code json} is not a manifest of a known schema version
   */
  public static Manifest fromJson(String json) {
    return ManifestJson.read(json, Manifest.class, "manifest");
  }

  /**
   * The manifest as JSON.
   *
   * @return indented JSON with sorted keys and {@code \n} line ends: the same manifest, the same
   *     bytes
   */
  public String toJson() {
    return ManifestJson.pretty(this);
  }

  /**
   * The spec's canonical JSON.
   *
   * @return the bytes {@link #specHash()} is the sha256 of
   */
  public String specJson() {
    return ManifestJson.canonical(spec);
  }

  /**
   * The spec, to build the image again.
   *
   * @return the spec read from {@link #specJson()}
   */
  public ImageSpec toSpec() {
    return ImageSpec.fromJson(specJson());
  }

  /**
   * The copy embedded in the image.
   *
   * @return a copy with no artifacts and nothing that depends on the host or clock
   */
  public Manifest embeddedCopy() {
    return new Manifest(
        schemaVersion,
        true,
        spec,
        specHash,
        repositories,
        packages,
        List.of(),
        build == null ? null : build.reproducible(),
        lock,
        baseImage);
  }

  /**
   * A complete copy (not embedded) with {@code list} as its artifacts.
   *
   * @param list the artifacts
   * @return the copy
   */
  public Manifest withArtifacts(List<ManifestArtifact> list) {
    return new Manifest(
        schemaVersion, false, spec, specHash, repositories, packages, list, build, lock, baseImage);
  }

  /**
   * A copy with {@code info} as its build information.
   *
   * @param info the build information
   * @return the copy
   */
  public Manifest withBuild(BuildInfo info) {
    return new Manifest(
        schemaVersion,
        embedded,
        spec,
        specHash,
        repositories,
        packages,
        artifacts,
        info,
        lock,
        baseImage);
  }

  /**
   * A copy that names {@code base} (or none, if null) as the base image it was built from.
   *
   * @param base the base image, or null
   * @return the copy
   */
  public Manifest withBaseImage(ManifestBaseImage base) {
    return new Manifest(
        schemaVersion,
        embedded,
        spec,
        specHash,
        repositories,
        packages,
        artifacts,
        build,
        lock == null ? null : lock.withBaseImageSha256(base == null ? null : base.sha256()),
        base);
  }

  /**
   * The installed package {@code name} (the first by architecture if several are installed).
   *
   * @param name a package name
   * @return the package, or empty if it is not installed
   */
  public Optional<ManifestPackage> findPackage(String name) {
    return packages.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /**
   * The artifact with this sha256, or one that has a partition with it.
   *
   * @param sha256 64 lower-case hex digits
   * @return the artifact, or empty if none has this hash
   */
  @JsonIgnore
  public Optional<ManifestArtifact> findArtifact(String sha256) {
    return artifacts.stream()
        .filter(
            a ->
                a.sha256().equals(sha256)
                    || a.partitions().stream().anyMatch(p -> p.sha256().equals(sha256)))
        .findFirst();
  }
}
