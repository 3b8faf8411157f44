package io.imagebuilder.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.imagebuilder.internal.json.Json;
import io.imagebuilder.internal.validate.Checks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What it takes to install the same packages again: every installed package with the sha256 of the
 * .deb it came from and the repository that served it, every repository with the InRelease it was
 * read from (its sha256, Date and signing key), the base image's sha256 and the timestamp clamp.
 * Every build writes one beside its artifacts as {@code <image>.lock} ({@link #toJson()}: JSON,
 * keys sorted, packages sorted by name then architecture); a build given one ({@code
 * ImageBuilder.withLock}) installs exactly these packages.
 *
 * <p>The package sha256s are the pin: a locked build takes each .deb from the package cache (where
 * .debs are kept by sha256) or from its repository's current index when that still lists the same
 * sha256, and fails before any work naming every package it can obtain neither way. The
 * repositories' InRelease hashes are recorded (e.g. to pick the matching snapshot.debian.org
 * timestamp) but not demanded: a repository that moved on still serves a locked build whose .debs
 * are cached.
 *
 * @param formatVersion the lock format's version, {@value #FORMAT_VERSION}
 * @param packages every installed package, sorted by name then architecture
 * @param repositories the repositories, each pinned to its InRelease
 * @param sourceDateEpoch the timestamp clamp, or null
 * @param baseImageSha256 sha256 of the base image the build started from, or null when it
 *     bootstrapped
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Lock(
    int formatVersion,
    List<LockedPackage> packages,
    List<LockedRepository> repositories,
    Long sourceDateEpoch,
    String baseImageSha256) {
  /** The lock format this library writes and reads. */
  public static final int FORMAT_VERSION = 1;

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.+-]+");
  private static final Pattern ARCH = Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final Pattern VERSION = Pattern.compile("([0-9]+:)?[0-9A-Za-z][0-9A-Za-z.+~:-]*");
  private static final Comparator<LockedPackage> ORDER =
      Comparator.comparing(LockedPackage::name).thenComparing(LockedPackage::architecture);

  /**
   * Checks every value, sorts the packages and copies the lists; null lists are empty, a missing
   * format version (a manifest written before the lock had one) is {@value #FORMAT_VERSION}.
   *
   * @param formatVersion the lock format's version, {@value #FORMAT_VERSION}
   * @param packages every installed package
   * @param repositories the repositories, each pinned to its InRelease
   * @param sourceDateEpoch the timestamp clamp, or null
   * @param baseImageSha256 sha256 of the base image, or null
   * @throws IllegalArgumentException naming the bad value and what was expected
   */
  public Lock {
    if (formatVersion == 0) {
      formatVersion = FORMAT_VERSION;
    }
    if (formatVersion != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "unsupported lock format version "
              + formatVersion
              + " (expected "
              + FORMAT_VERSION
              + ")");
    }
    List<LockedPackage> sorted =
        new ArrayList<>(packages == null ? List.of() : Checks.distinctCopy(packages, "packages"));
    sorted.sort(ORDER);
    Set<String> seen = new HashSet<>();
    for (LockedPackage p : sorted) {
      Checks.notNull(p, "locked package");
      if (!seen.add(p.name() + ":" + p.architecture())) {
        throw new IllegalArgumentException(
            "package "
                + p.name()
                + ":"
                + p.architecture()
                + " is locked twice (expected one version per name and architecture)");
      }
    }
    packages = List.copyOf(sorted);
    repositories = repositories == null ? List.of() : List.copyOf(repositories);
    if (sourceDateEpoch != null) {
      Checks.sourceDateEpoch(sourceDateEpoch);
    }
    if (baseImageSha256 != null) {
      Checks.sha256(baseImageSha256, "sha256 of the base image");
    }
  }

  /**
   * The lock of {@code packages} from {@code repositories}, in the current format.
   *
   * @param packages the installed packages
   * @param repositories the repositories they came from
   * @param sourceDateEpoch the timestamp clamp, or null
   * @param baseImageSha256 sha256 of the base image, or null
   * @return the lock, packages sorted
   */
  public static Lock of(
      List<LockedPackage> packages,
      List<LockedRepository> repositories,
      Long sourceDateEpoch,
      String baseImageSha256) {
    return new Lock(FORMAT_VERSION, packages, repositories, sourceDateEpoch, baseImageSha256);
  }

  /**
   * This lock with another base image sha256.
   *
   * @param sha256 sha256 of the base image, or null
   * @return the copy
   */
  public Lock withBaseImageSha256(String sha256) {
    return new Lock(formatVersion, packages, repositories, sourceDateEpoch, sha256);
  }

  /**
   * Reads a lock as {@link #toJson()} writes it.
   *
   * @param json the JSON text
   * @return the lock
   * @throws IllegalArgumentException naming the bad field or value and what was expected
   */
  public static Lock fromJson(String json) {
    return Json.read(json, Lock.class, "lock");
  }

  /**
   * Reads a lock file ({@code <image>.lock}).
   *
   * @param file the file
   * @return the lock
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException naming the file and its bad field or value
   */
  public static Lock read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return fromJson(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid lock file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The lock as indented JSON with sorted keys, ending in a newline: what {@code <image>.lock}
   * holds.
   *
   * @return the JSON
   */
  public String toJson() {
    return Json.pretty(this);
  }

  /**
   * The locked package {@code name} of {@code architecture}, if the lock has it.
   *
   * @param name the package name
   * @param architecture its architecture ({@code all} for architecture-independent ones)
   * @return the locked package, or null
   */
  public LockedPackage find(String name, String architecture) {
    for (LockedPackage p : packages) {
      if (p.name().equals(name) && p.architecture().equals(architecture)) {
        return p;
      }
    }
    return null;
  }

  /**
   * One installed package, pinned to the .deb it was installed from.
   *
   * @param name the package name
   * @param version its version, as dpkg records it (with the epoch, if any)
   * @param architecture its architecture ({@code all} for architecture-independent ones)
   * @param sha256 sha256 of the .deb it was installed from; null when the build did not know it
   *     (such a package cannot be installed from the lock)
   * @param repository the name of the repository that served the .deb (one of the lock's {@code
   *     repositories}, or the local repository), or null when not known
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LockedPackage(
      String name, String version, String architecture, String sha256, String repository) {
    /**
     * Checks every value.
     *
     * @param name the package name
     * @param version its version
     * @param architecture its architecture
     * @param sha256 sha256 of the .deb, or null
     * @param repository the repository's name, or null
     * @throws IllegalArgumentException naming the bad value and what was expected
     */
    public LockedPackage {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "invalid package name '" + name + "' in lock (expected a Debian package name)");
      }
      if (version == null || !VERSION.matcher(version).matches()) {
        throw new IllegalArgumentException(
            "invalid version '"
                + version
                + "' of package "
                + name
                + " in lock (expected a Debian version, e.g. 1:2.3-4)");
      }
      if (architecture == null || !ARCH.matcher(architecture).matches()) {
        throw new IllegalArgumentException(
            "invalid architecture '"
                + architecture
                + "' of package "
                + name
                + " in lock (expected a Debian architecture such as amd64 or all)");
      }
      if (sha256 != null) {
        Checks.sha256(sha256, "sha256 of package " + name + " in lock");
      }
    }

    /**
     * Reads an entry of a lock written before packages carried their .deb: {@code
     * name:arch=version}.
     *
     * @param entry {@code name:arch=version}
     * @return the package, with no sha256 or repository
     * @throws IllegalArgumentException if the entry is not of that form
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static LockedPackage parse(String entry) {
      int colon = entry == null ? -1 : entry.indexOf(':');
      int equals = entry == null ? -1 : entry.indexOf('=');
      if (colon < 1 || equals < colon) {
        throw new IllegalArgumentException(
            "invalid lock entry '" + entry + "' (expected name:arch=version)");
      }
      return new LockedPackage(
          entry.substring(0, colon),
          entry.substring(equals + 1),
          entry.substring(colon + 1, equals),
          null,
          null);
    }

    /**
     * This package as {@code apt-get install} takes it.
     *
     * @return {@code name:arch=version}
     */
    public String entry() {
      return name + ":" + architecture + "=" + version;
    }

    /**
     * The package for messages: name, version, architecture and .deb sha256.
     *
     * @return e.g. {@code hello 2.10-3 (amd64, .deb sha256 ab12...)}
     */
    public String describe() {
      return name
          + " "
          + version
          + " ("
          + architecture
          + (sha256 == null ? ", no .deb sha256" : ", .deb sha256 " + sha256)
          + (repository == null ? "" : ", from " + repository)
          + ")";
    }
  }

  /**
   * A repository pinned to one InRelease.
   *
   * @param name the source's name
   * @param uri archive root
   * @param suite suite or code name
   * @param components components used
   * @param keyFingerprint fingerprint of the key that signed the InRelease, or null for an unsigned
   *     source
   * @param inReleaseSha256 sha256 of the InRelease bytes
   * @param date the Release file's Date
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LockedRepository(
      String name,
      String uri,
      String suite,
      List<String> components,
      String keyFingerprint,
      String inReleaseSha256,
      String date) {
    /**
     * Copies the components; null is none.
     *
     * @param name the source's name
     * @param uri archive root
     * @param suite suite or code name
     * @param components components used
     * @param keyFingerprint fingerprint of the signing key, or null
     * @param inReleaseSha256 sha256 of the InRelease bytes
     * @param date the Release file's Date
     * @throws IllegalArgumentException naming a bad uri or sha256
     */
    public LockedRepository {
      components = components == null ? List.of() : List.copyOf(components);
      if (uri == null || uri.isBlank()) {
        throw new IllegalArgumentException(
            "invalid repository uri '" + uri + "' of " + name + " in lock (expected a URL)");
      }
      if (inReleaseSha256 != null) {
        Checks.sha256(inReleaseSha256, "InRelease sha256 of repository " + name + " in lock");
      }
    }
  }
}
