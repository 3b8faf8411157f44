package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.api.error.RepositoryVerificationException;
import io.imagebuilder.internal.deb822.Deb822;
import io.imagebuilder.internal.deb822.Stanza;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed Release (or the signed part of an InRelease): what the archive says about one suite, and
 * the size and SHA256 of each index it publishes.
 */
public final class ReleaseFile {

  /** One line of the SHA256 field: an index file relative to {@code dists/<suite>/}. */
  public record IndexEntry(String path, long size, String sha256) {}

  /** The compressions an index is read in, in order of preference. */
  private static final List<String> DOWNLOAD_SUFFIXES = List.of(".xz", ".gz", "");

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss", Locale.ROOT);

  private final String source;
  private final Stanza stanza;
  private final Map<String, IndexEntry> sha256;

  private ReleaseFile(String source, Stanza stanza, Map<String, IndexEntry> sha256) {
    this.source = source;
    this.stanza = stanza;
    this.sha256 = sha256;
  }

  /**
   * Parses Release text.
   *
   * @param source the repository source's name, for messages
   * @throws RepositoryVerificationException when it is not one stanza, or a date or SHA256 line is
   *     malformed
   */
  public static ReleaseFile parse(String source, byte[] content)
      throws RepositoryVerificationException {
    List<Stanza> stanzas;
    try {
      stanzas = Deb822.parse(new String(content, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new RepositoryVerificationException(
          "Release of source '" + source + "'",
          RepositoryVerificationException.Reason.MALFORMED,
          "Release of source '" + source + "' is malformed: " + e.getMessage(),
          e);
    }
    if (stanzas.size() != 1) {
      throw new RepositoryVerificationException(
          "Release of source '" + source + "'",
          RepositoryVerificationException.Reason.MALFORMED,
          "Release of source '" + source + "' has " + stanzas.size() + " stanzas (expected 1)");
    }
    Stanza s = stanzas.get(0);
    Map<String, IndexEntry> entries = new LinkedHashMap<>();
    String field = s.get("SHA256");
    if (field != null) {
      for (String line : field.split("\n")) {
        String l = line.strip();
        if (l.isEmpty()) {
          continue;
        }
        String[] parts = l.split("\\s+");
        if (parts.length != 3
            || !parts[0].matches("[0-9a-fA-F]{64}")
            || !parts[1].matches("[0-9]{1,18}")) {
          throw new RepositoryVerificationException(
              "Release of source '" + source + "'",
              RepositoryVerificationException.Reason.MALFORMED,
              "Release of source '"
                  + source
                  + "': malformed SHA256 line '"
                  + l
                  + "' (expected sha256 size path)");
        }
        entries.put(
            parts[2],
            new IndexEntry(parts[2], Long.parseLong(parts[1]), parts[0].toLowerCase(Locale.ROOT)));
      }
    }
    ReleaseFile release = new ReleaseFile(source, s, Collections.unmodifiableMap(entries));
    release.date();
    release.validUntil();
    return release;
  }

  /** The whole stanza, for fields not modelled here. */
  public Stanza stanza() {
    return stanza;
  }

  public Optional<String> origin() {
    return stanza.find("Origin");
  }

  public Optional<String> label() {
    return stanza.find("Label");
  }

  public Optional<String> suite() {
    return stanza.find("Suite");
  }

  public Optional<String> codename() {
    return stanza.find("Codename");
  }

  public Optional<String> version() {
    return stanza.find("Version");
  }

  /** The Date field; empty when absent. */
  public Optional<Instant> date() throws RepositoryVerificationException {
    return dateField("Date");
  }

  /** The Valid-Until field; empty when absent. */
  public Optional<Instant> validUntil() throws RepositoryVerificationException {
    return dateField("Valid-Until");
  }

  /** The Architectures field split on blanks, empty when absent. */
  public List<String> architectures() {
    return words("Architectures");
  }

  /** The Components field split on blanks, empty when absent. */
  public List<String> components() {
    return words("Components");
  }

  /** Whether indexes may be fetched by hash ({@code by-hash/SHA256/<hash>}). */
  public boolean acquireByHash() {
    return "yes".equalsIgnoreCase(stanza.get("Acquire-By-Hash"));
  }

  /** All SHA256 entries by path, in file order. */
  public Map<String, IndexEntry> sha256Entries() {
    return sha256;
  }

  /** The SHA256 entry of one path relative to {@code dists/<suite>/}. */
  public Optional<IndexEntry> entry(String path) {
    return Optional.ofNullable(sha256.get(path));
  }

  /**
   * The file to download for the index {@code path} (e.g. {@code main/binary-arm64/Packages}): its
   * {@code .xz}, else its {@code .gz}, else the plain file, the first the Release lists. Archives
   * list the plain file's hash without serving it, so it comes last.
   */
  public Optional<IndexEntry> download(String path) {
    for (String suffix : DOWNLOAD_SUFFIXES) {
      IndexEntry e = sha256.get(path + suffix);
      if (e != null) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * Checks that this Release is for the requested suite: its Suite or its Codename equals it.
   *
   * @throws RepositoryVerificationException naming the source, the fields and their values
   */
  public void checkSuite(String requested) throws RepositoryVerificationException {
    if (requested.equals(stanza.get("Suite")) || requested.equals(stanza.get("Codename"))) {
      return;
    }
    throw new RepositoryVerificationException(
        "Release of source '" + source + "'",
        RepositoryVerificationException.Reason.WRONG_SUITE,
        "Release of source '"
            + source
            + "' is not for suite '"
            + requested
            + "' (Suite: "
            + suite().orElse("<none>")
            + ", Codename: "
            + codename().orElse("<none>")
            + ")");
  }

  /**
   * Checks that the Release has not expired at {@code now}.
   *
   * @throws RepositoryVerificationException naming the source, Valid-Until and now
   */
  public void checkValidUntil(Instant now) throws RepositoryVerificationException {
    Optional<Instant> until = validUntil();
    if (until.isPresent() && until.get().isBefore(now)) {
      throw new RepositoryVerificationException(
          "Release of source '" + source + "'",
          RepositoryVerificationException.Reason.EXPIRED,
          "Release of source '"
              + source
              + "' has expired: Valid-Until "
              + stanza.get("Valid-Until")
              + " is before now ("
              + now
              + "); a mirror may be stale or replaying an old Release. "
              + "Opt out per source with ignoreValidUntil for snapshot archives");
    }
  }

  /** How far a Release's Date may lie ahead of our clock: clock skew between hosts, no more. */
  public static final java.time.Duration MAX_FUTURE_DATE = java.time.Duration.ofMinutes(10);

  /**
   * Checks that the Release's Date is not in the future at {@code now} (beyond {@link
   * #MAX_FUTURE_DATE} of clock skew), as apt refuses a Release that is "not valid yet": a Release
   * dated ahead would let a mirror hold back later ones, and would date the image's files from the
   * future.
   *
   * @throws RepositoryVerificationException naming the source, the Date and now
   */
  public void checkDate(Instant now) throws RepositoryVerificationException {
    Optional<Instant> date = date();
    if (date.isPresent() && date.get().isAfter(now.plus(MAX_FUTURE_DATE))) {
      throw new RepositoryVerificationException(
          "Release of source '" + source + "'",
          RepositoryVerificationException.Reason.NOT_YET_VALID,
          "Release of source '"
              + source
              + "' is not valid yet: Date "
              + stanza.get("Date")
              + " is "
              + java.time.Duration.between(now, date.get()).toDays()
              + " days after now ("
              + now
              + "; at most "
              + MAX_FUTURE_DATE.toMinutes()
              + " minutes of clock skew are accepted);"
              + " the mirror or this host's clock is wrong");
    }
  }

  /**
   * Checks that the Release lists the architecture and components (when it has those fields). A
   * component {@code main} also matches {@code updates/main} (debian-security's layout).
   */
  public void checkCoverage(List<String> wantedComponents, String architecture)
      throws RepositoryException {
    List<String> archs = architectures();
    if (!archs.isEmpty() && !archs.contains(architecture)) {
      throw new RepositoryException(
          "Release of source '"
              + source
              + "' has no architecture '"
              + architecture
              + "' (Architectures: "
              + String.join(" ", archs)
              + ")");
    }
    List<String> comps = components();
    if (comps.isEmpty()) {
      return;
    }
    for (String c : wantedComponents) {
      boolean found = comps.stream().anyMatch(x -> x.equals(c) || x.endsWith("/" + c));
      if (!found) {
        throw new RepositoryException(
            "Release of source '"
                + source
                + "' has no component '"
                + c
                + "' (Components: "
                + String.join(" ", comps)
                + ")");
      }
    }
  }

  private List<String> words(String name) {
    String v = stanza.get(name);
    if (v == null || v.isBlank()) {
      return List.of();
    }
    return List.copyOf(Arrays.asList(v.strip().split("\\s+")));
  }

  private Optional<Instant> dateField(String name) throws RepositoryVerificationException {
    String v = stanza.get(name);
    if (v == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(parseDate(v));
    } catch (IllegalArgumentException e) {
      throw new RepositoryVerificationException(
          "Release of source '" + source + "'",
          RepositoryVerificationException.Reason.MALFORMED,
          "Release of source '"
              + source
              + "': "
              + name
              + " '"
              + v
              + "' is not a date (expected e.g. "
              + "'Sat, 10 Jun 2023 08:54:40 UTC')",
          e);
    }
  }

  /** Parses an RFC 2822 date as Release files use: optional weekday, zone UTC, GMT, Z or +hhmm. */
  static Instant parseDate(String value) {
    String v = value.strip();
    int comma = v.indexOf(',');
    if (comma >= 0) {
      v = v.substring(comma + 1).strip();
    }
    int lastSpace = v.lastIndexOf(' ');
    if (lastSpace < 0) {
      throw new IllegalArgumentException("no time zone in '" + value + "'");
    }
    String zone = v.substring(lastSpace + 1);
    String local = v.substring(0, lastSpace).strip();
    ZoneOffset offset;
    if (zone.equals("UTC") || zone.equals("GMT") || zone.equals("Z") || zone.equals("UT")) {
      offset = ZoneOffset.UTC;
    } else if (zone.matches("[+-][0-9]{4}")) {
      offset =
          ZoneOffset.ofHoursMinutes(
              Integer.parseInt(zone.substring(0, 3)),
              (zone.charAt(0) == '-' ? -1 : 1) * Integer.parseInt(zone.substring(3)));
    } else {
      throw new IllegalArgumentException("unknown time zone '" + zone + "'");
    }
    try {
      return LocalDateTime.parse(local.replaceAll("\\s+", " "), DATE).toInstant(offset);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    List<String> s = new ArrayList<>();
    suite().ifPresent(x -> s.add("Suite " + x));
    codename().ifPresent(x -> s.add("Codename " + x));
    return "ReleaseFile["
        + source
        + ": "
        + String.join(", ", s)
        + ", "
        + sha256.size()
        + " indexes]";
  }
}
