package io.imagebuilder.arm.internal.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The versions of packages whose files are in place, read from a dpkg status file (the host's or
 * a target's), and their upstream part, which decides whether two builds of a tool behave alike.
 */
final class InstalledVersions {
  /** dpkg states in which all of a package's files are in place (unpacked, maybe not configured). */
  private static final Set<String> HAS_FILES =
      Set.of("installed", "unpacked", "half-configured", "triggers-awaited", "triggers-pending");

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
    for (String stanza : status.split("\n\\s*\n")) {
      String name = null;
      String version = null;
      boolean installed = false;
      for (String line : stanza.split("\n")) {
        if (line.startsWith("Package:")) {
          name = line.substring(8).trim();
        } else if (line.startsWith("Version:")) {
          version = line.substring(8).trim();
        } else if (line.startsWith("Status:")) {
          installed = HAS_FILES.contains(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      if (name != null && version != null && installed) {
        out.put(name, version);
      }
    }
    return new InstalledVersions(out);
  }

  /** The upstream version of {@code pkg} (no epoch, no Debian revision), or null if its files are not in place. */
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
