package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.PackageOrigin;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StandardKeys;
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
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code rootfs.base}: starts the rootfs from a base image, a rootfs tarball ({@code tar}, {@code
 * tar.gz}, {@code tar.xz} or {@code tar.zst}, told by its magic bytes, as ImageBuilder writes
 * them), instead of bootstrapping from the archive. It takes the place of {@code
 * rootfs.bootstrap} when the spec names a base image; the stages after it run as usual.
 *
 * <p>The base image is a local file. Its sha256 is taken when the stage is made (at plan time)
 * and is what the options hold, not its path: the same bytes give the same stage ids anywhere,
 * other bytes other ids; a file that changed between planning and running fails the build.
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
 * <p>Options: {@code sha256} (of the base image file), {@code distribution}, {@code suite},
 * {@code architecture}, {@code mirror}, {@code components}, {@code mirrorKey}.
 */
final class BaseImageStage implements Stage {
  /** The repository name of a package's origin when only the base image is known to have had it. */
  static final String BASE_IMAGE_ORIGIN = "base-image";

  private final ImageSpec spec;
  private final Path file;
  private final String sha256;

  /**
   * @throws IllegalArgumentException if the spec's base image is a URL, is missing, or is not a
   *     rootfs tarball
   */
  BaseImageStage(ImageSpec spec) {
    this.spec = spec;
    this.file = localFile(spec.baseImage());
    this.sha256 = sha256Of(file, spec.baseImage());
  }

  /** The base image as a readable local tarball; a caller mistake otherwise. */
  static Path localFile(String pathOrUrl) {
    if (pathOrUrl == null) {
      throw new IllegalArgumentException("no base image in the spec (expected a rootfs tarball path)");
    }
    if (pathOrUrl.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      throw new IllegalArgumentException("invalid base image '" + pathOrUrl
          + "' (a URL; expected the path of a local rootfs tarball: download it first)");
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
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read base image '" + name + "': " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(md.digest());
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
    return "unpack base image " + file.getFileName() + " (sha256 " + sha256.substring(0, 12) + ") for "
        + spec.architecture() + ", sources from " + spec.mirror();
  }

  @Override
  public Phase phase() {
    return Phase.BOOTSTRAP;
  }

  @Override
  public Map<String, Object> options() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("sha256", sha256);
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
    String label = "base image '" + spec.baseImage() + "'";
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
  BaseImageSystem unpack(StageContext context, String label) throws ImageBuildException {
    String now = sha256Of(file, spec.baseImage());
    if (!now.equals(sha256)) {
      throw new ImageBuildException(label + " changed since the build was planned (sha256 " + now
          + ", planned " + sha256 + ")");
    }
    try {
      new SafeExtractor().extractTree(TarballCompression.openTar(Files.newInputStream(file), label), context.rootfs(), label,
          UnpackLimits.forBaseImages());
    } catch (IOException e) {
      throw new ImageBuildException("cannot read " + label + ": " + e.getMessage(), e);
    }
    BaseImageSystem system = BaseImageSystem.read(context.rootfs(), label);
    system.requireArchitecture(spec.architecture().debianName(), label);
    system.requireDistribution(spec.distribution().id(), label);
    try {
      // The base's own manifest would describe the derived image wrongly; the new one names the base.
      Path embedded = RootfsFiles.resolve(context.rootfs(), BaseImageSystem.EMBEDDED_MANIFEST);
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
