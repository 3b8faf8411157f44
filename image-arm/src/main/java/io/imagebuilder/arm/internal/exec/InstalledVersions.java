package io.imagebuilder.arm.internal.exec;

import io.imagebuilder.internal.deb822.Deb822;
import io.imagebuilder.internal.deb822.DpkgState;
import io.imagebuilder.internal.deb822.Stanza;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The versions of packages whose files are in place ({@link DpkgState#filesInPlace}: during the
 * bootstrap a target's essential set is unpacked, not yet configured), read from a dpkg status file
 * (the host's or a target's), and their upstream part, which decides whether two builds of a tool
 * behave alike.
 */
final class InstalledVersions {
  private final Map<String, String> versions;

  private InstalledVersions(Map<String, String> versions) {
    this.versions = versions;
  }

  /** Reads {@code status}; a missing file gives no packages. */
  static InstalledVersions read(Path status) throws IOException {
    if (!Files.isRegularFile(status)) {
      return new InstalledVersions(Map.of());
    }
    return parse(Files.readString(status, StandardCharsets.UTF_8));
  }

  static InstalledVersions parse(String status) {
    Map<String, String> out = new HashMap<>();
    for (Stanza s : Deb822.parse(status)) {
      if (s.has("Package") && s.has("Version") && DpkgState.of(s).filesInPlace()) {
        out.put(s.get("Package"), s.get("Version"));
      }
    }
    return new InstalledVersions(out);
  }

  /**
   * The upstream version of {@code pkg} (no epoch, no Debian revision), or null if its files are
   * not in place.
   */
  String upstream(String pkg) {
    String v = versions.get(pkg);
    return v == null ? null : upstreamOf(v);
  }

  static String upstreamOf(String version) {
    String v = version.substring(version.indexOf(':') + 1);
    int dash = v.lastIndexOf('-');
    return dash < 0 ? v : v.substring(0, dash);
  }
}
