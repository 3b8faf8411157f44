package io.imagebuilder.manifest.internal;

import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.Lock;
import io.imagebuilder.api.stage.PackageOrigin;
import io.imagebuilder.api.stage.UsedRepository;
import io.imagebuilder.manifest.api.BuildInfo;
import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.ManifestPackage;
import io.imagebuilder.manifest.api.ManifestRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Joins what dpkg says is installed with what the build knows about each .deb: the result is a
 * manifest without artifacts. A package's origin is attached only when its version and architecture
 * are the ones installed, so a package changed after download (e.g. by a hook) never carries the
 * hash of a .deb it was not installed from.
 */
public final class ManifestAssembler {
  private ManifestAssembler() {}

  public static Manifest assemble(
      ImageSpec spec,
      List<DpkgStatus.Installed> installed,
      List<UsedRepository> repositories,
      Map<String, PackageOrigin> origins,
      BuildInfo build) {
    List<ManifestPackage> packages = new ArrayList<>();
    for (DpkgStatus.Installed p : installed) {
      PackageOrigin origin = origins.get(p.name());
      boolean matches =
          origin != null
              && p.version().equals(origin.version())
              && p.architecture().equals(origin.architecture());
      packages.add(
          new ManifestPackage(
              p.name(),
              p.version(),
              p.architecture(),
              p.multiArch(),
              p.source(),
              p.sourceVersion(),
              matches ? origin.debSha256() : null,
              matches ? origin.repository() : null));
    }
    List<ManifestRepository> repos = repositories.stream().map(ManifestRepository::of).toList();
    return new Manifest(
        Manifest.SCHEMA_VERSION,
        false,
        ManifestJson.objectOf(spec.toCanonicalJson(), "image spec"),
        spec.specHash(),
        repos,
        packages,
        List.of(),
        build,
        lock(packages, repos, build == null ? null : build.sourceDateEpoch()));
  }

  /** The lock of {@code packages} from {@code repositories}: what {@code <image>.lock} holds. */
  static Lock lock(
      List<ManifestPackage> packages, List<ManifestRepository> repositories, Long sourceDateEpoch) {
    return Lock.of(
        packages.stream()
            .map(
                p ->
                    new Lock.LockedPackage(
                        p.name(), p.version(), p.architecture(), p.debSha256(), p.repository()))
            .toList(),
        repositories.stream()
            .map(
                r ->
                    new Lock.LockedRepository(
                        r.name(),
                        r.uri(),
                        r.suite(),
                        r.components(),
                        r.keyFingerprint(),
                        r.inReleaseSha256(),
                        r.date()))
            .toList(),
        sourceDateEpoch,
        null);
  }
}
