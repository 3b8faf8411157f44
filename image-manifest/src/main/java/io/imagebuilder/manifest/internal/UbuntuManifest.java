package io.imagebuilder.manifest.internal;

import io.imagebuilder.manifest.api.Manifest;
import io.imagebuilder.manifest.api.ManifestPackage;

/**
 * The package list in the form Ubuntu publishes beside its images ({@code <image>.manifest}): one
 * {@code package<TAB>version} line per installed package, the name as dpkg shows {@code
 * ${binary:Package}} (with {@code :arch} for Multi-Arch: same packages), sorted.
 */
public final class UbuntuManifest {
  private UbuntuManifest() {}

  public static String of(Manifest manifest) {
    StringBuilder sb = new StringBuilder();
    manifest.packages().stream()
        .map(p -> p.binaryPackage() + "\t" + p.version())
        .sorted()
        .forEach(line -> sb.append(line).append('\n'));
    return sb.toString();
  }

  /** One line of the list, for callers that compare with {@code dpkg-query -W}. */
  public static String line(ManifestPackage p) {
    return p.binaryPackage() + "\t" + p.version();
  }
}
