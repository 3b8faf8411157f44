package io.imagebuilder.rootfs.internal.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.deb822.Deb822;
import io.imagebuilder.internal.deb822.DpkgState;
import io.imagebuilder.internal.deb822.Stanza;
import io.imagebuilder.internal.io.RootfsPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What an unpacked base image holds, read natively from its files: the installed packages ({@code
 * /var/lib/dpkg/status}), its architecture, and the facts of its embedded manifest when
 * ImageBuilder made it. Files are looked up with the image's symlinks followed inside the rootfs
 * only, and must be regular files.
 *
 * <p>The architecture is dpkg's: the first line of {@code /var/lib/dpkg/arch}, else the
 * Architecture of the installed {@code dpkg} package, else the one architecture other than {@code
 * all} of the installed packages.
 *
 * @param architecture the Debian architecture of the system
 * @param architectureFrom the file it was read from, for messages
 * @param installed every package dpkg lists as installed
 * @param embedded the embedded manifest's facts, if there is one
 * @param osId the {@code ID} of its os-release ({@code debian}, {@code ubuntu}), or null
 */
record BaseImageSystem(
    String architecture,
    String architectureFrom,
    List<Installed> installed,
    Optional<Embedded> embedded,
    String osId) {
  /**
   * Where ImageBuilder embeds the manifest in an image (image-manifest's Manifests.EMBEDDED_PATH).
   */
  static final String EMBEDDED_MANIFEST = "/usr/share/imagebuilder/manifest.json";

  static final String STATUS = "/var/lib/dpkg/status";
  static final String ARCH = "/var/lib/dpkg/arch";

  /** One installed package. */
  record Installed(String name, String version, String architecture) {
    String key() {
      return name + ":" + architecture + "=" + version;
    }
  }

  /**
   * What the base's embedded manifest says about it.
   *
   * @param specHash the base's spec hash, or null if the manifest has none
   * @param sourceDateEpoch the base's SOURCE_DATE_EPOCH, or null
   * @param debSha256 sha256 of each package's .deb by {@code name:arch=version}, as far as known
   */
  record Embedded(String specHash, Long sourceDateEpoch, Map<String, String> debSha256) {
    Embedded {
      debSha256 = Map.copyOf(debSha256);
    }
  }

  /**
   * Reads the system unpacked in {@code rootfs}; {@code label} names the base image in errors.
   *
   * @throws ImageBuildException if it holds no dpkg database, or its architecture cannot be told
   */
  static BaseImageSystem read(Path rootfs, String label) throws ImageBuildException {
    Optional<String> status = readFile(rootfs, STATUS, label);
    if (status.isEmpty()) {
      throw new ImageBuildException(
          label
              + " holds no Debian system (no "
              + STATUS
              + "; expected a rootfs tarball of Debian or Ubuntu)");
    }
    List<Stanza> stanzas;
    try {
      stanzas = Deb822.parse(status.get());
    } catch (IllegalArgumentException e) {
      throw new ImageBuildException(
          label + " has an unreadable " + STATUS + ": " + e.getMessage(), e);
    }
    List<Installed> installed = new ArrayList<>();
    for (Stanza s : stanzas) {
      if (DpkgState.of(s).installed() && s.has("Package")) {
        installed.add(
            new Installed(
                s.get("Package"), s.find("Version").orElse(""), s.find("Architecture").orElse("")));
      }
    }
    if (installed.isEmpty()) {
      throw new ImageBuildException(
          label
              + " holds no Debian system ("
              + STATUS
              + " lists no installed package; expected a rootfs tarball of Debian or Ubuntu)");
    }
    String[] arch = architecture(rootfs, installed, label);
    return new BaseImageSystem(
        arch[0], arch[1], List.copyOf(installed), embedded(rootfs, label), osId(rootfs, label));
  }

  /**
   * Fails when the base's os-release names another distribution than {@code expected} (e.g. an
   * Ubuntu base for a Debian spec, whose archive would not fit it); a base without one passes.
   */
  void requireDistribution(String expected, String label) throws ImageBuildException {
    if (osId != null && !osId.equals(expected)) {
      throw new ImageBuildException(
          label
              + " holds "
              + osId
              + " (ID in its os-release), but the spec builds "
              + expected
              + " (expected a base image of the spec's distribution)");
    }
  }

  /** The ID of /etc/os-release, else /usr/lib/os-release, unquoted; null if neither has one. */
  private static String osId(Path rootfs, String label) throws ImageBuildException {
    for (String path : List.of("/etc/os-release", "/usr/lib/os-release")) {
      Optional<String> text = readFile(rootfs, path, label);
      if (text.isPresent()) {
        return text.get()
            .lines()
            .filter(l -> l.startsWith("ID="))
            .map(l -> l.substring(3).trim().replaceAll("^[\"']|[\"']$", ""))
            .findFirst()
            .orElse(null);
      }
    }
    return null;
  }

  /**
   * Fails unless the system is of {@code expected} (a Debian architecture name), naming the base
   * image, what it holds and what the spec wants.
   */
  void requireArchitecture(String expected, String label) throws ImageBuildException {
    if (!architecture.equals(expected)) {
      throw new ImageBuildException(
          label
              + " holds a system for "
              + architecture
              + " ("
              + architectureFrom
              + "), but the spec builds for "
              + expected
              + " (expected a base image of the spec's architecture)");
    }
  }

  private static String[] architecture(Path rootfs, List<Installed> installed, String label)
      throws ImageBuildException {
    Optional<String> archFile = readFile(rootfs, ARCH, label);
    if (archFile.isPresent()) {
      Optional<String> first =
          archFile.get().lines().map(String::trim).filter(l -> !l.isEmpty()).findFirst();
      if (first.isPresent()) {
        return new String[] {first.get(), ARCH};
      }
    }
    for (Installed p : installed) {
      if (p.name().equals("dpkg") && !p.architecture().isEmpty()) {
        return new String[] {p.architecture(), "the dpkg package in " + STATUS};
      }
    }
    TreeSet<String> archs = new TreeSet<>();
    installed.forEach(p -> archs.add(p.architecture()));
    archs.remove("all");
    archs.remove("");
    if (archs.size() != 1) {
      throw new ImageBuildException(
          "cannot tell the architecture of "
              + label
              + ": no "
              + ARCH
              + ", no dpkg package, and its packages are of "
              + (archs.isEmpty() ? "no architecture" : archs));
    }
    return new String[] {archs.first(), "the packages in " + STATUS};
  }

  private static Optional<Embedded> embedded(Path rootfs, String label) throws ImageBuildException {
    Optional<String> json = readFile(rootfs, EMBEDDED_MANIFEST, label);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    JsonNode m;
    try {
      m = new ObjectMapper().readTree(json.get());
    } catch (IOException e) {
      throw new ImageBuildException(
          label
              + " has an unreadable embedded manifest "
              + EMBEDDED_MANIFEST
              + ": "
              + e.getMessage(),
          e);
    }
    String specHash = m.path("specHash").isTextual() ? m.path("specHash").asText() : null;
    JsonNode epoch = m.path("build").path("sourceDateEpoch");
    Map<String, String> debs = new HashMap<>();
    for (JsonNode p : m.path("packages")) {
      if (p.path("debSha256").isTextual()) {
        Installed key =
            new Installed(
                p.path("name").asText(),
                p.path("version").asText(),
                p.path("architecture").asText());
        debs.put(key.key(), p.path("debSha256").asText());
      }
    }
    return Optional.of(
        new Embedded(specHash, epoch.canConvertToLong() ? epoch.asLong() : null, debs));
  }

  /** The text of a regular file of the image, or empty if there is none at that path. */
  private static Optional<String> readFile(Path rootfs, String imagePath, String label)
      throws ImageBuildException {
    try {
      Path file = RootfsPaths.resolve(rootfs, imagePath);
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot read " + imagePath + " of " + label + ": " + e.getMessage(), e);
    }
  }
}
