package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.Distribution;
import java.util.ArrayList;
import java.util.List;

/**
 * One suite of the spec's archive beside the series itself: its updates suite ({@code
 * bookworm-updates}, on the mirror) or its security suite ({@code bookworm-security}, on Debian's
 * security archive). Each is read and verified on its own (its own InRelease and key), recorded in
 * the manifest as its own repository and written to the image's apt sources; the bootstrap and apt
 * take the highest version of a package across the series and these suites.
 *
 * @param name the repository's name in the manifest and on each package, e.g. {@code
 *     debian-security}
 * @param uri the archive root it is read from
 * @param suite the suite under {@code dists/}, e.g. {@code bookworm-security}
 * @param key the key file its InRelease must verify against, or null for the distribution's archive
 *     keyring
 * @param security whether it is the security suite (written to the image as a source of its own, as
 *     Debian and Ubuntu do), else it shares the series' source
 */
record ArchiveSuite(String name, String uri, String suite, String key, boolean security) {
  /** Debian's security archive: not on the mirrors, so used whatever the mirror. */
  static final String DEBIAN_SECURITY = "http://deb.debian.org/debian-security";

  /** Ubuntu's security archive for amd64 and i386; the others are on the ports archive. */
  static final String UBUNTU_SECURITY = "http://security.ubuntu.com/ubuntu";

  /** Debian series with no updates or security suite: the development ones. */
  private static final List<String> DEBIAN_UNRELEASED = List.of("sid", "unstable", "experimental");

  /** Debian series whose security suite is still {@code <series>/updates} (before bullseye). */
  private static final List<String> DEBIAN_OLD_SECURITY =
      List.of("jessie", "stretch", "buster", "oldoldstable");

  /**
   * The suites a spec's archive has beside the series, in the order they are read: updates, then
   * security, each when the spec wants it and the series has it.
   *
   * <ul>
   *   <li>Debian: none for sid (unstable, experimental); else {@code <series>-updates} on the
   *       mirror with the mirror's key, and {@code <series>-security} ({@code <series>/updates} up
   *       to buster) on {@value #DEBIAN_SECURITY}, whatever the mirror, signed by Debian's archive
   *       keyring (which holds the security archive's keys);
   *   <li>Ubuntu: {@code <series>-updates} and {@code <series>-security}, both signed by the
   *       mirror's key; security on {@value #UBUNTU_SECURITY} for amd64 and i386 and on the ports
   *       archive for the others when the mirror is the default one, else on the mirror (Ubuntu's
   *       mirrors carry the security pocket).
   * </ul>
   *
   * @param distribution debian or ubuntu
   * @param series the code name
   * @param architecture the target's architecture
   * @param mirror the archive root of the series
   * @param mirrorKey the mirror's key file, or null for the distribution's keyring
   * @param updates whether the spec wants the updates suite
   * @param security whether the spec wants the security suite
   * @return the suites, none when both are off or the series has neither
   */
  static List<ArchiveSuite> beside(
      Distribution distribution,
      String series,
      Architecture architecture,
      String mirror,
      String mirrorKey,
      boolean updates,
      boolean security) {
    List<ArchiveSuite> out = new ArrayList<>();
    String id = distribution.id();
    if (distribution == Distribution.DEBIAN) {
      if (DEBIAN_UNRELEASED.contains(series)) {
        return out;
      }
      if (updates) {
        out.add(new ArchiveSuite(id + "-updates", mirror, series + "-updates", mirrorKey, false));
      }
      if (security) {
        String suite =
            DEBIAN_OLD_SECURITY.contains(series) ? series + "/updates" : series + "-security";
        out.add(new ArchiveSuite(id + "-security", DEBIAN_SECURITY, suite, null, true));
      }
      return out;
    }
    if (updates) {
      out.add(new ArchiveSuite(id + "-updates", mirror, series + "-updates", mirrorKey, false));
    }
    if (security) {
      String uri = mirror;
      if (mirror.equals(distribution.defaultMirror(architecture))) {
        boolean primary = architecture == Architecture.AMD64 || architecture == Architecture.I386;
        uri = primary ? UBUNTU_SECURITY : mirror;
      }
      out.add(new ArchiveSuite(id + "-security", uri, series + "-security", mirrorKey, true));
    }
    return out;
  }
}
