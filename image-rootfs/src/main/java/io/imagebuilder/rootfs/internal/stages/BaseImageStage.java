package io.imagebuilder.rootfs.internal.stages;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.BaseImage;
import io.imagebuilder.api.stage.PackageOrigin;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.io.RootfsPaths;
import io.imagebuilder.internal.validate.Secrets;
import io.imagebuilder.rootfs.internal.cache.BaseImageDownload;
import io.imagebuilder.rootfs.internal.deb.Ownership;
import io.imagebuilder.rootfs.internal.deb.SafeExtractor;
import io.imagebuilder.rootfs.internal.deb.UnpackLimits;
import io.imagebuilder.rootfs.internal.repo.Repository;
import io.imagebuilder.rootfs.internal.tar.TarballCompression;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code rootfs.base}: starts the rootfs from a base image, a rootfs tarball ({@code tar}, {@code
 * tar.gz}, {@code tar.xz} or {@code tar.zst}, told by its magic bytes, as ImageBuilder writes
 * them), instead of bootstrapping from the archive. It takes the place of {@code rootfs.bootstrap}
 * when the spec names a base image; the stages after it run as usual.
 *
 * <p>The base image is a local file or an http(s) URL. A local file's sha256 is taken when the
 * stage is made (at plan time) and is what the options hold, not its path: the same bytes give the
 * same stage ids anywhere, other bytes other ids; a file that changed between planning and running
 * fails the build. A URL is downloaded when the stage runs, into the cache under {@code
 * base-images/<sha256>} ({@link BaseImageDownload}: size-capped); with a {@code #sha256=HEX}
 * fragment (a request's {@code image_sha256}) that hash is what the options hold, a cached copy is
 * used without a download and other bytes fail the build; without one the options hold the URL.
 *
 * <p>Unpacked through {@link SafeExtractor#extractTree}, so no entry lands outside the rootfs
 * ({@code ..}, absolute names, escaping links, device nodes and FIFOs are refused). Then checked:
 * it must hold a Debian system ({@code /var/lib/dpkg/status}) of the spec's architecture and, when
 * its os-release says, distribution ({@link BaseImageSystem}). SOURCE_DATE_EPOCH is the spec's,
 * else the base's (its embedded manifest's), else the latest Date of the archive's suites' Release
 * files. The archive is read and verified as the bootstrap reads it, and recorded in the build's
 * repositories; each package already installed gets the base image as its origin (with the .deb's
 * sha256 and repository when its embedded manifest and the archive know them). The base's embedded
 * manifest is removed: the derived image gets its own, which names the base through the build's
 * provenance ({@link StageContext#setBaseImage}).
 *
 * <p>Options ({@link Options}): {@code sha256} (of the base image file) or, for a URL without one,
 * {@code url}; the archive (distribution, series, architecture, mirror, components, mirrorKey).
 */
final class BaseImageStage implements Stage {
  /** The repository name of a package's origin when only the base image is known to have had it. */
  static final String BASE_IMAGE_ORIGIN = "base-image";

  /**
   * What the base image stage reads.
   *
   * @param sha256 the sha256 of the base image's bytes: of the local file (taken when planned) or
   *     the one the URL gives; null for a URL given without one
   * @param url the URL, only when no sha256 names the bytes (then the URL is all that names them)
   * @param archive the archive the derived image's packages come from
   * @param image where the base image is, as the spec names it (a local rootfs tarball or an
   *     http(s) URL): a locator, not in the id, since the stage checks the bytes it finds there
   *     against {@code sha256}
   */
  record Options(String sha256, String url, ArchiveOptions archive, @JsonIgnore String image) {
    /**
     * @throws IllegalArgumentException if the spec's base image is a malformed URL, is missing, or
     *     is not a rootfs tarball
     */
    static Options of(ImageSpec spec) {
      boolean isUrl = BaseImageDownload.Reference.isUrl(spec.baseImage());
      String sha256 =
          isUrl
              ? BaseImageDownload.Reference.parse(spec.baseImage()).sha256()
              : sha256Of(localFile(spec.baseImage()), spec.baseImage());
      String locked = spec.lock() == null ? null : spec.lock().baseImageSha256();
      if (locked != null && sha256 == null) {
        sha256 = locked; // a URL given without a hash: the lock names the bytes
      } else if (locked != null && !locked.equals(sha256)) {
        throw new IllegalArgumentException(
            "invalid base image '"
                + Secrets.redact(spec.baseImage())
                + "' (sha256 "
                + sha256
                + "; expected "
                + locked
                + ", the base image the lock was made from)");
      }
      String url =
          sha256 == null
              ? BaseImageDownload.Reference.parse(spec.baseImage()).url().toString()
              : null;
      return new Options(sha256, url, ArchiveOptions.of(spec), spec.baseImage());
    }
  }

  private final Options options;
  private final ArchiveOptions spec;

  /** The base image's URL, or null for a local file. */
  private final BaseImageDownload.Reference url;

  /** The local file; for a URL, the download (known once the stage runs). */
  private Path file;

  /** Its sha256; for a URL without one given, known once the stage runs. */
  private String sha256;

  /**
   * @throws IllegalArgumentException if the spec's base image is a malformed URL, is missing, or is
   *     not a rootfs tarball
   */
  BaseImageStage(Options options) {
    this.options = options;
    this.spec = options.archive();
    this.sha256 = options.sha256();
    if (BaseImageDownload.Reference.isUrl(options.image())) {
      // With the hash the options hold (given or locked), the download is checked against it.
      this.url =
          new BaseImageDownload.Reference(
              BaseImageDownload.Reference.parse(options.image()).url(), options.sha256());
    } else {
      this.url = null;
      this.file = localFile(options.image());
    }
  }

  /** The base image as a readable local tarball; a caller mistake otherwise. */
  static Path localFile(String pathOrUrl) {
    if (pathOrUrl == null) {
      throw new IllegalArgumentException(
          "no base image in the spec (expected a rootfs tarball path)");
    }
    if (pathOrUrl.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      throw new IllegalArgumentException(
          "invalid base image '"
              + Secrets.redact(pathOrUrl)
              + "' (a URL other than http(s); expected the path of a local rootfs tarball or an http(s) URL)");
    }
    Path path = Path.of(pathOrUrl).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new IllegalArgumentException(
          "invalid base image '"
              + pathOrUrl
              + "' ("
              + (Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                  ? "not a readable file"
                  : "no such file")
              + "; expected a rootfs tarball: tar, tar.gz, tar.xz or tar.zst)");
    }
    try (InputStream tar =
        TarballCompression.openTar(Files.newInputStream(path), "'" + pathOrUrl + "'")) {
      return path;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "invalid base image '" + pathOrUrl + "' (" + e.getMessage() + ")", e);
    }
  }

  static String sha256Of(Path file, String name) {
    try {
      return Sha256.ofFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read base image '" + name + "': " + e.getMessage(), e);
    }
  }

  String sha256() {
    return sha256;
  }

  @Override
  public String type() {
    return "rootfs.base";
  }

  @Override
  public String summary() {
    String name =
        url == null ? file.getFileName().toString() : url.url().getPath().replaceAll(".*/", "");
    return "unpack base image "
        + name
        + (sha256 == null
            ? " (from " + url.url().getHost() + ")"
            : " (sha256 " + sha256.substring(0, 12) + ")")
        + " for "
        + spec.architecture()
        + ", sources from "
        + spec.mirror()
        + BootstrapStage.besides(spec);
  }

  @Override
  public Phase phase() {
    return Phase.BOOTSTRAP;
  }

  @Override
  public Map<String, Object> options() {
    return StageOptions.of(options);
  }

  @Override
  public void verify(StageContext context) throws ImageBuildException {
    BootstrapStage.requireEmptyWithKeys(context.rootfs(), spec.distribution(), spec.suites());
  }

  @Override
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    String label = "base image '" + Secrets.redact(options.image()) + "'";
    if (url != null) {
      file =
          new BaseImageDownload(
                  context.cacheDir().resolve("base-images"), BaseImageDownload.DEFAULT_MAX_BYTES)
              .fetch(
                  url,
                  (done, total) -> context.progressBytes("downloading base image", done, total));
      if (sha256 == null) {
        sha256 = sha256Of(file, label);
      }
    }
    BaseImageSystem system = unpack(context, label);
    if (context.sourceDateEpoch().isEmpty()) {
      system
          .embedded()
          .map(BaseImageSystem.Embedded::sourceDateEpoch)
          .ifPresent(context::setSourceDateEpoch);
    }
    context.checkCancelled();
    List<Repository> archive = BootstrapStage.readArchive(spec, context);
    BootstrapStage.recordArchive(spec, context, archive);
    recordOrigins(context, system);
    context.setBaseImage(
        new BaseImage(
            sha256, system.embedded().map(BaseImageSystem.Embedded::specHash).orElse(null)));
    context.log(
        label
            + ": "
            + system.installed().size()
            + " packages for "
            + system.architecture()
            + (system.embedded().isPresent()
                ? ", made by ImageBuilder from spec " + system.embedded().get().specHash()
                : ", no embedded manifest"));
  }

  /** Unpacks the base into the empty rootfs and checks what it holds. */
  BaseImageSystem unpack(StageContext context, String label)
      throws ImageBuildException, InterruptedException {
    String now = sha256Of(file, options.image());
    if (!now.equals(sha256)) {
      throw new ImageBuildException(
          label
              + " changed since the build was planned (sha256 "
              + now
              + ", planned "
              + sha256
              + ")");
    }
    try {
      Ownership owners = Ownership.forRoot(context.rootfs());
      new SafeExtractor(owners)
          .extractTree(
              TarballCompression.openTar(Files.newInputStream(file), label),
              context.rootfs(),
              label,
              UnpackLimits.forBaseImages());
      owners.applyPending(context);
    } catch (IOException e) {
      throw new ImageBuildException("cannot read " + label + ": " + e.getMessage(), e);
    }
    BaseImageSystem system = BaseImageSystem.read(context.rootfs(), label);
    system.requireArchitecture(spec.architecture().debianName(), label);
    system.requireDistribution(spec.distribution().id(), label);
    try {
      // The base's own manifest would describe the derived image wrongly; the new one names the
      // base.
      Path embedded = RootfsPaths.resolve(context.rootfs(), BaseImageSystem.EMBEDDED_MANIFEST);
      if (Files.isRegularFile(embedded, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(embedded);
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot remove the embedded manifest of " + label + ": " + e.getMessage(), e);
    }
    return system;
  }

  /**
   * The base image is the origin of every package it holds; with the .deb's sha256 when its
   * embedded manifest had it, and the archive's name when the archive offers that very .deb.
   */
  private static void recordOrigins(StageContext context, BaseImageSystem system) {
    List<PackageOrigin> origins = new ArrayList<>();
    Map<String, String> debs =
        system.embedded().map(BaseImageSystem.Embedded::debSha256).orElse(Map.of());
    for (BaseImageSystem.Installed p : system.installed()) {
      String deb = debs.get(p.key());
      String repository = deb == null ? null : ArchiveHashes.repositoryOf(context, deb);
      origins.add(
          new PackageOrigin(
              p.name(),
              p.version(),
              p.architecture(),
              deb,
              repository == null ? BASE_IMAGE_ORIGIN : repository));
    }
    context.addPackageOrigins(origins);
  }
}
