package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.PackageOrigin;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StandardKeys;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.io.RootfsPaths;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code rootfs.base}: starts the rootfs from a base image, a rootfs tarball ({@code tar}, {@code
 * tar.gz}, {@code tar.xz} or {@code tar.zst}, told by its magic bytes, as ImageBuilder writes
 * them), instead of bootstrapping from the archive. It takes the place of {@code
 * rootfs.bootstrap} when the spec names a base image; the stages after it run as usual.
 *
 * <p>The base image is a local file or an http(s) URL. A local file's sha256 is taken when the
 * stage is made (at plan time) and is what the options hold, not its path: the same bytes give the
 * same stage ids anywhere, other bytes other ids; a file that changed between planning and running
 * fails the build. A URL is downloaded when the stage runs, into the cache under {@code
 * base-images/<sha256>} ({@link BaseImageDownload}: size-capped); with a {@code #sha256=HEX}
 * fragment (a request's {@code image_sha256}) that hash is what the options hold, a cached copy
 * is used without a download and other bytes fail the build; without one the options hold the URL.
 *
 * <p>Unpacked through {@link SafeExtractor#extractTree}, so no entry lands outside the rootfs
 * ({@code ..}, absolute names, escaping links, device nodes and FIFOs are refused). Then checked:
 * it must hold a Debian system ({@code /var/lib/dpkg/status}) of the spec's architecture and, when
 * its os-release says, distribution ({@link BaseImageSystem}). SOURCE_DATE_EPOCH is the spec's,
 * else the base's (its embedded manifest's), else the archive's Release Date. The archive is read and verified as the bootstrap reads it, and
 * recorded in the build's repositories; each package already installed gets the base image as its
 * origin (with the .deb's sha256 and repository when its embedded manifest and the archive know
 * them). The base's embedded manifest is removed: the derived image gets its own, which names the
 * base through {@link StandardKeys#BASE_IMAGE}.
 *
 * <p>Options: {@code sha256} (of the base image file) or, for a URL without one, {@code url},
 * {@code distribution}, {@code suite},
 * {@code architecture}, {@code mirror}, {@code components}, {@code mirrorKey}.
 */
final class BaseImageStage implements Stage {
  /** The repository name of a package's origin when only the base image is known to have had it. */
  static final String BASE_IMAGE_ORIGIN = "base-image";

  private final ImageSpec spec;
  /** The base image's URL, or null for a local file. */
  private final BaseImageDownload.Reference url;
  /** The local file; for a URL, the download (known once the stage runs). */
  private Path file;
  /** Its sha256; for a URL without one given, known once the stage runs. */
  private String sha256;

  /**
   * @throws IllegalArgumentException if the spec's base image is a malformed URL, is missing, or
   *     is not a rootfs tarball
   */
  BaseImageStage(ImageSpec spec) {
    this.spec = spec;
    if (BaseImageDownload.Reference.isUrl(spec.baseImage())) {
      this.url = BaseImageDownload.Reference.parse(spec.baseImage());
      this.sha256 = url.sha256();
    } else {
      this.url = null;
      this.file = localFile(spec.baseImage());
      this.sha256 = sha256Of(file, spec.baseImage());
    }
  }

  /** The base image as a readable local tarball; a caller mistake otherwise. */
  static Path localFile(String pathOrUrl) {
    if (pathOrUrl == null) {
      throw new IllegalArgumentException("no base image in the spec (expected a rootfs tarball path)");
    }
    if (pathOrUrl.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      throw new IllegalArgumentException("invalid base image '" + io.imagebuilder.internal.validate.Secrets.redact(pathOrUrl)
          + "' (a URL other than http(s); expected the path of a local rootfs tarball or an http(s) URL)");
    }
    Path path = Path.of(pathOrUrl).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new IllegalArgumentException("invalid base image '" + pathOrUrl
          + "' (" + (Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? "not a readable file" : "no such file")
          + "; expected a rootfs tarball: tar, tar.gz, tar.xz or tar.zst)");
    }
    try (InputStream tar = TarballCompression.openTar(Files.newInputStream(path), "'" + pathOrUrl + "'")) {
      return path;
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid base image '" + pathOrUrl + "' (" + e.getMessage() + ")", e);
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
    String name = url == null ? file.getFileName().toString() : url.url().getPath().replaceAll(".*/", "");
    return "unpack base image " + name + (sha256 == null ? " (from " + url.url().getHost() + ")" : " (sha256 "
        + sha256.substring(0, 12) + ")") + " for "
        + spec.architecture() + ", sources from " + spec.mirror();
  }

  @Override
  public Phase phase() {
    return Phase.BOOTSTRAP;
  }

  @Override
  public Map<String, Object> options() {
    Map<String, Object> o = new LinkedHashMap<>();
    if (sha256 != null) {
      o.put("sha256", sha256);
    } else {
      o.put("url", url.url().toString()); // no content hash given: the URL is all that names it
    }
    o.put("distribution", spec.distribution().id());
    o.put("suite", spec.series());
    o.put("architecture", spec.architecture().debianName());
    o.put("mirror", spec.mirror());
    o.put("components", spec.components());
    if (spec.mirrorKey() != null) {
      o.put("mirrorKey", spec.mirrorKey());
    }
    return o;
  }

  @Override
  public void verify(StageContext context) throws ImageBuildException {
    BootstrapStage.requireEmpty(context.rootfs());
    BootstrapStage.keyring(spec);
  }

  @Override
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    String label = "base image '" + io.imagebuilder.internal.validate.Secrets.redact(spec.baseImage()) + "'";
    if (url != null) {
      file = new BaseImageDownload(context.cacheDir().resolve("base-images"), BaseImageDownload.DEFAULT_MAX_BYTES)
          .fetch(url, (done, total) -> context.progressBytes("downloading base image", done, total));
      if (sha256 == null) {
        sha256 = sha256Of(file, label);
      }
    }
    BaseImageSystem system = unpack(context, label);
    if (context.sourceDateEpoch().isEmpty()) {
      system.embedded().map(BaseImageSystem.Embedded::sourceDateEpoch).ifPresent(context::setSourceDateEpoch);
    }
    context.checkCancelled();
    Repository archive = BootstrapStage.readArchive(spec, context);
    BootstrapStage.recordArchive(spec, context, archive);
    recordOrigins(context, system);
    context.put(StandardKeys.BASE_IMAGE, new StandardKeys.BaseImage(
        sha256, system.embedded().map(BaseImageSystem.Embedded::specHash).orElse(null)));
    context.log(label + ": " + system.installed().size() + " packages for " + system.architecture()
        + (system.embedded().isPresent() ? ", made by ImageBuilder from spec "
            + system.embedded().get().specHash() : ", no embedded manifest"));
  }

  /** Unpacks the base into the empty rootfs and checks what it holds. */
  BaseImageSystem unpack(StageContext context, String label) throws ImageBuildException, InterruptedException {
    String now = sha256Of(file, spec.baseImage());
    if (!now.equals(sha256)) {
      throw new ImageBuildException(label + " changed since the build was planned (sha256 " + now
          + ", planned " + sha256 + ")");
    }
    try {
      Ownership owners = Ownership.forRoot(context.rootfs());
      new SafeExtractor(owners).extractTree(TarballCompression.openTar(Files.newInputStream(file), label), context.rootfs(), label,
          UnpackLimits.forBaseImages());
      owners.applyPending(context);
    } catch (IOException e) {
      throw new ImageBuildException("cannot read " + label + ": " + e.getMessage(), e);
    }
    BaseImageSystem system = BaseImageSystem.read(context.rootfs(), label);
    system.requireArchitecture(spec.architecture().debianName(), label);
    system.requireDistribution(spec.distribution().id(), label);
    try {
      // The base's own manifest would describe the derived image wrongly; the new one names the base.
      Path embedded = RootfsPaths.resolve(context.rootfs(), BaseImageSystem.EMBEDDED_MANIFEST);
      if (Files.isRegularFile(embedded, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(embedded);
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot remove the embedded manifest of " + label + ": " + e.getMessage(), e);
    }
    return system;
  }

  /**
   * The base image is the origin of every package it holds; with the .deb's sha256 when its
   * embedded manifest had it, and the archive's name when the archive offers that very .deb.
   */
  private static void recordOrigins(StageContext context, BaseImageSystem system) {
    Map<String, PackageOrigin> origins = new HashMap<>(
        context.get(StandardKeys.PACKAGE_ORIGINS).map(StandardKeys.Origins::byName).orElse(Map.of()));
    Map<String, String> debs = system.embedded().map(BaseImageSystem.Embedded::debSha256).orElse(Map.of());
    for (BaseImageSystem.Installed p : system.installed()) {
      String deb = debs.get(p.key());
      String repository = deb == null ? null : ArchiveHashes.repositoryOf(context, deb);
      origins.put(p.name(), new PackageOrigin(p.name(), p.version(), p.architecture(), deb,
          repository == null ? BASE_IMAGE_ORIGIN : repository));
    }
    context.put(StandardKeys.PACKAGE_ORIGINS, new StandardKeys.Origins(origins));
  }
}
