package io.imagebuilder.manifest.api;

import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.PackageOrigin;
import io.imagebuilder.api.stage.UsedRepository;
import io.imagebuilder.manifest.internal.CycloneDxSbom;
import io.imagebuilder.manifest.internal.DpkgStatus;
import io.imagebuilder.manifest.internal.ManifestAssembler;
import io.imagebuilder.manifest.internal.UbuntuManifest;
import io.imagebuilder.manifest.internal.embedded.EmbeddedReaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Making, reading and viewing manifests. */
public final class Manifests {
  /**
   * Where the manifest is embedded in every image: {@code /usr/share/imagebuilder/manifest.json}.
   * It holds the spec and its hash, the repositories, the packages, the lock and the build's
   * library version, SOURCE_DATE_EPOCH and stage ids; no artifacts (an image cannot hold its own
   * hash), no durations, executor or host (the image stays reproducible). See {@link Manifest}.
   */
  public static final String EMBEDDED_PATH = "/usr/share/imagebuilder/manifest.json";

  private Manifests() {}

  /**
   * The manifest of the root filesystem {@code rootfs}: its installed packages (from {@code
   * /var/lib/dpkg/status}) joined with their origins; no artifacts yet.
   *
   * @param spec the spec the image was built from
   * @param rootfs the root filesystem
   * @param repositories the repositories the stages read packages from
   * @param origins where each installed package came from, by package name
   * @param build how the image was built
   * @return the manifest, without artifacts
   * @throws IOException if the dpkg status file is missing or unreadable
   * @throws IllegalArgumentException if the status file is malformed
   */
  public static Manifest fromRootfs(
      ImageSpec spec,
      Path rootfs,
      List<UsedRepository> repositories,
      Map<String, PackageOrigin> origins,
      BuildInfo build)
      throws IOException {
    return ManifestAssembler.assemble(spec, DpkgStatus.read(rootfs), repositories, origins, build);
  }

  /**
   * Reads a manifest JSON file ({@code <image>.manifest.json} or an embedded copy).
   *
   * @param manifestFile the file
   * @return the manifest
   * @throws IOException if the file cannot be read or is not an ImageBuilder manifest
   */
  public static Manifest read(Path manifestFile) throws IOException {
    String json = Files.readString(manifestFile, StandardCharsets.UTF_8);
    try {
      return Manifest.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          manifestFile + " is not an ImageBuilder manifest: " + e.getMessage(), e);
    }
  }

  /**
   * The manifest embedded in an image file (a rootfs tarball, or a disk image when a reader for it
   * is on the classpath), read without extracting or mounting it.
   *
   * @param imageFile the image file
   * @return empty if the file holds no embedded manifest or no reader knows its kind
   * @throws IOException if the file cannot be read, or its embedded manifest is damaged
   */
  public static Optional<Manifest> readEmbedded(Path imageFile) throws IOException {
    return EmbeddedReaders.read(imageFile);
  }

  /**
   * The Ubuntu-style package list.
   *
   * @param manifest the image's manifest
   * @return {@code package<TAB>version} per line, sorted
   */
  public static String ubuntuManifest(Manifest manifest) {
    return UbuntuManifest.of(manifest);
  }

  /**
   * The CycloneDX 1.6 JSON SBOM.
   *
   * @param manifest the image's manifest
   * @param imageName the name of the image component
   * @return the SBOM as JSON
   */
  public static String cycloneDx(Manifest manifest, String imageName) {
    return CycloneDxSbom.of(manifest, imageName);
  }
}
