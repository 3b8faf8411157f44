package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.rootfs.internal.version.DebianVersion;
import java.util.List;

/**
 * One binary package of a Packages index.
 *
 * @param name Package
 * @param version Version
 * @param architecture Architecture (the target's or {@code all})
 * @param multiArch Multi-Arch ({@code no} when absent)
 * @param sourceName the source package (from {@code Source:}, defaults to {@code name})
 * @param sourceVersion the source version (from {@code Source: src (ver)}, defaults to {@code version})
 * @param priority Priority, or "" when absent
 * @param essential whether {@code Essential: yes}
 * @param depends Depends
 * @param preDepends Pre-Depends
 * @param provides Provides
 * @param filename Filename, relative to the repository URI
 * @param size Size of the .deb in bytes
 * @param sha256 SHA256 of the .deb, lower-case hex
 * @param repository the name of the {@link RepositorySource} it came from
 * @param stanza the whole stanza, to write dpkg's status file later
 */
public record PackageRecord(
    String name,
    DebianVersion version,
    String architecture,
    String multiArch,
    String sourceName,
    DebianVersion sourceVersion,
    String priority,
    boolean essential,
    List<Relation> depends,
    List<Relation> preDepends,
    List<Provide> provides,
    String filename,
    long size,
    String sha256,
    String repository,
    Stanza stanza) {

  public PackageRecord {
    depends = List.copyOf(depends);
    preDepends = List.copyOf(preDepends);
    provides = List.copyOf(provides);
  }

  /**
   * Reads a Packages stanza.
   *
   * @throws IllegalArgumentException naming the package and the missing or malformed field
   */
  public static PackageRecord fromStanza(Stanza s, String repository) {
    String name = s.get("Package");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a stanza has no Package field: " + s);
    }
    name = name.strip();
    try {
      if (!Relation.isValidName(name)) {
        throw new IllegalArgumentException("invalid package name '" + name + "'");
      }
      DebianVersion version = DebianVersion.parse(require(s, "Version", name));
      String sourceName = name;
      DebianVersion sourceVersion = version;
      String source = s.get("Source");
      if (source != null && !source.isBlank()) {
        String src = source.strip();
        int paren = src.indexOf('(');
        if (paren >= 0) {
          int close = src.indexOf(')', paren);
          if (close < 0) {
            throw new IllegalArgumentException("invalid Source '" + source + "' (expected name (version))");
          }
          sourceVersion = DebianVersion.parse(src.substring(paren + 1, close).strip());
          src = src.substring(0, paren).strip();
        }
        sourceName = src;
      }
      String sizeText = require(s, "Size", name);
      long size;
      try {
        size = Long.parseLong(sizeText.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid Size '" + sizeText + "'");
      }
      String sha = require(s, "SHA256", name).strip().toLowerCase(java.util.Locale.ROOT);
      if (!sha.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("invalid SHA256 '" + sha + "'");
      }
      return new PackageRecord(
          name,
          version,
          require(s, "Architecture", name).strip(),
          s.find("Multi-Arch").map(String::strip).orElse("no"),
          sourceName,
          sourceVersion,
          s.find("Priority").map(String::strip).orElse(""),
          "yes".equalsIgnoreCase(s.find("Essential").map(String::strip).orElse("")),
          Relation.parseList(s.get("Depends")),
          Relation.parseList(s.get("Pre-Depends")),
          Provide.parseList(s.get("Provides")),
          require(s, "Filename", name).strip(),
          size,
          sha,
          repository,
          s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("package '" + name + "': " + e.getMessage(), e);
    }
  }

  private static String require(Stanza s, String field, String pkg) {
    String v = s.get(field);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("no " + field + " field");
    }
    return v;
  }

  /** {@code name version architecture}, as apt prints it. */
  @Override
  public String toString() {
    return name + " " + version + " " + architecture;
  }
}
