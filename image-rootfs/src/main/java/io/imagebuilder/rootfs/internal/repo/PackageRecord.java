package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.internal.deb822.Stanza;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.rootfs.internal.version.DebianVersion;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One binary package of a Packages index: the fields resolution, download and the manifest need,
 * nothing else (a Packages file has 60,000 stanzas; keeping whole stanzas cost most of the memory
 * and time of reading one).
 *
 * <p>Name, version, source, Provides (every candidate's is indexed), size and SHA256 are checked
 * when the record is made. Depends and Pre-Depends are kept as text and parsed on first use, since
 * resolution looks at a few hundred packages only; a malformed one fails then, naming the package
 * and the field. Immutable and thread-safe (the lazily parsed lists are immutable and may be
 * computed twice).
 */
public final class PackageRecord {
  /**
   * The fields a record keeps, in the order of {@link #of(String[], String)} and {@link
   * #fieldValues()}.
   */
  public static final List<String> FIELDS =
      List.of(
          "Package",
          "Version",
          "Architecture",
          "Multi-Arch",
          "Source",
          "Priority",
          "Essential",
          "Depends",
          "Pre-Depends",
          "Provides",
          "Filename",
          "Size",
          "SHA256");

  private static final int PACKAGE = 0;
  private static final int VERSION = 1;
  private static final int ARCHITECTURE = 2;
  private static final int MULTI_ARCH = 3;
  private static final int SOURCE = 4;
  private static final int PRIORITY = 5;
  private static final int ESSENTIAL = 6;
  private static final int DEPENDS = 7;
  private static final int PRE_DEPENDS = 8;
  private static final int PROVIDES = 9;
  private static final int FILENAME = 10;
  private static final int SIZE = 11;
  private static final int SHA256 = 12;

  private final String[] fields;
  private final String name;
  private final DebianVersion version;
  private final String sourceName;
  private final DebianVersion sourceVersion;
  private final long size;
  private final String sha256;
  private final String repository;
  private final List<Provide> provides;
  private List<Relation> depends;
  private List<Relation> preDepends;

  private PackageRecord(
      String[] fields,
      String name,
      DebianVersion version,
      String sourceName,
      DebianVersion sourceVersion,
      List<Provide> provides,
      long size,
      String sha256,
      String repository) {
    this.fields = fields;
    this.name = name;
    this.version = version;
    this.sourceName = sourceName;
    this.sourceVersion = sourceVersion;
    this.provides = provides;
    this.size = size;
    this.sha256 = sha256;
    this.repository = repository;
  }

  /**
   * Reads a Packages stanza.
   *
   * @throws IllegalArgumentException naming the package and the missing or malformed field
   */
  public static PackageRecord fromStanza(Stanza s, String repository) {
    String[] values = new String[FIELDS.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = s.get(FIELDS.get(i));
    }
    return of(values, repository);
  }

  /**
   * A record of the values of {@link #FIELDS} (null where a stanza has no such field), as a
   * Packages stanza gives them.
   *
   * @throws IllegalArgumentException naming the package and the missing or malformed field
   */
  public static PackageRecord of(String[] values, String repository) {
    if (values.length != FIELDS.size()) {
      throw new IllegalArgumentException(
          "expected " + FIELDS.size() + " field values, got " + values.length);
    }
    String[] f = values.clone();
    String name = f[PACKAGE];
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a stanza has no Package field");
    }
    name = name.strip();
    try {
      if (!Relation.isValidName(name)) {
        throw new IllegalArgumentException("invalid package name '" + name + "'");
      }
      DebianVersion version = DebianVersion.parse(require(f, VERSION));
      String sourceName = name;
      DebianVersion sourceVersion = version;
      String source = f[SOURCE];
      if (source != null && !source.isBlank()) {
        String src = source.strip();
        int paren = src.indexOf('(');
        if (paren >= 0) {
          int close = src.indexOf(')', paren);
          if (close < 0) {
            throw new IllegalArgumentException(
                "invalid Source '" + source + "' (expected name (version))");
          }
          sourceVersion = DebianVersion.parse(src.substring(paren + 1, close).strip());
          src = src.substring(0, paren).strip();
        }
        sourceName = src;
      }
      String sizeText = require(f, SIZE);
      long size;
      try {
        size = Long.parseLong(sizeText.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid Size '" + sizeText + "'");
      }
      String sha = require(f, SHA256).strip().toLowerCase(Locale.ROOT);
      if (!Sha256.isHex(sha)) {
        throw new IllegalArgumentException("invalid SHA256 '" + sha + "'");
      }
      require(f, ARCHITECTURE);
      require(f, FILENAME);
      List<Provide> provides =
          f[PROVIDES] == null ? List.of() : List.copyOf(Provide.parseList(f[PROVIDES]));
      return new PackageRecord(
          f, name, version, sourceName, sourceVersion, provides, size, sha, repository);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("package '" + name + "': " + e.getMessage(), e);
    }
  }

  private static String require(String[] f, int field) {
    String v = f[field];
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("no " + FIELDS.get(field) + " field");
    }
    return v;
  }

  /**
   * The values of {@link #FIELDS} as read (null for absent fields), to store and re-make the
   * record.
   */
  public String[] fieldValues() {
    return fields.clone();
  }

  /** Package. */
  public String name() {
    return name;
  }

  /** Version. */
  public DebianVersion version() {
    return version;
  }

  /** Architecture (the target's or {@code all}). */
  public String architecture() {
    return fields[ARCHITECTURE].strip();
  }

  /** Multi-Arch ({@code no} when absent). */
  public String multiArch() {
    return fields[MULTI_ARCH] == null ? "no" : fields[MULTI_ARCH].strip();
  }

  /** The source package (from {@code Source:}, defaults to {@link #name}). */
  public String sourceName() {
    return sourceName;
  }

  /** The source version (from {@code Source: src (ver)}, defaults to {@link #version}). */
  public DebianVersion sourceVersion() {
    return sourceVersion;
  }

  /** Priority, or "" when absent. */
  public String priority() {
    return fields[PRIORITY] == null ? "" : fields[PRIORITY].strip();
  }

  /** Whether {@code Essential: yes}. */
  public boolean essential() {
    return fields[ESSENTIAL] != null && fields[ESSENTIAL].strip().equalsIgnoreCase("yes");
  }

  /**
   * Depends, parsed on first use.
   *
   * @throws IllegalArgumentException naming the package when the field does not parse
   */
  public List<Relation> depends() {
    List<Relation> d = depends;
    if (d == null) {
      d = List.copyOf(parseRelations(DEPENDS));
      depends = d;
    }
    return d;
  }

  /** Pre-Depends, parsed on first use (see {@link #depends}). */
  public List<Relation> preDepends() {
    List<Relation> d = preDepends;
    if (d == null) {
      d = List.copyOf(parseRelations(PRE_DEPENDS));
      preDepends = d;
    }
    return d;
  }

  /** Provides. */
  public List<Provide> provides() {
    return provides;
  }

  private List<Relation> parseRelations(int field) {
    try {
      return Relation.parseList(fields[field]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "package '" + name + "': invalid " + FIELDS.get(field) + ": " + e.getMessage(), e);
    }
  }

  /** Filename, relative to the repository URI. */
  public String filename() {
    return fields[FILENAME].strip();
  }

  /** Size of the .deb in bytes. */
  public long size() {
    return size;
  }

  /** SHA256 of the .deb, lower-case hex. */
  public String sha256() {
    return sha256;
  }

  /** The name of the {@link RepositorySource} it came from. */
  public String repository() {
    return repository;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PackageRecord other
        && Arrays.equals(fields, other.fields)
        && repository.equals(other.repository);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(fields) + repository.hashCode();
  }

  /** {@code name version architecture}, as apt prints it. */
  @Override
  public String toString() {
    return name + " " + version + " " + architecture();
  }
}
