package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.internal.deb822.Deb822;
import io.imagebuilder.internal.deb822.Stanza;
import io.imagebuilder.internal.io.RootfsPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The binary package sources an image's apt reads: {@code /etc/apt/sources.list} and the {@code
 * .list} (one-line) and {@code .sources} (deb822) files of {@code /etc/apt/sources.list.d}, as apt
 * 2.x reads them (sources.list(5)), for writing apt's lists natively ({@link AptListsWriter}).
 *
 * <p>Only what that writer can do exactly as {@code apt-get update} would is accepted: {@code deb}
 * entries over http, https or file with a suite under {@code dists/}, signed by key files ({@code
 * Signed-By}, paths in the image, or a key written into the field) or explicitly {@code Trusted},
 * optionally limited to {@code Architectures} or not checking {@code Valid-Until}. Anything else
 * (flat repositories, fingerprints or the global keyring as the signer, user and password in the
 * URI, index targets, other date checks, other URI schemes) is {@link AptListsWriter.Unsupported},
 * naming the file, so apt does the work. {@code deb-src} entries are skipped: installing packages
 * never reads Sources indexes.
 */
final class AptSourceList {
  static final String SOURCES_LIST = "/etc/apt/sources.list";
  static final String SOURCES_PARTS = "/etc/apt/sources.list.d";

  /** apt ignores (with a notice) files in sources.list.d whose names have other characters. */
  private static final Pattern PART_NAME = Pattern.compile("[A-Za-z0-9_.-]+\\.(list|sources)");

  /** What a suite or component may hold here: apt would escape anything else in URIs. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~+-]*");

  private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~+/-]*");

  /**
   * Fields apt reads and the writer does not follow. Of the others it follows Signed-By, Trusted,
   * Architectures and Check-Valid-Until; Languages, PDiffs and By-Hash change nothing it writes (it
   * writes no translations), and apt ignores fields it does not know.
   */
  private static final Set<String> UNSUPPORTED_FIELDS =
      caseless(
          "Targets",
          "Targets-Add",
          "Targets-Remove",
          "Architectures-Add",
          "Architectures-Remove",
          "Valid-Until-Min",
          "Valid-Until-Max",
          "Check-Date",
          "Date-Max-Future",
          "Allow-Insecure",
          "Allow-Weak",
          "Allow-Downgrade-To-Insecure",
          "InRelease-Path");

  private AptSourceList() {}

  /**
   * One suite of one archive, as apt fetches it: its Release and the Packages of each component.
   *
   * @param origin the file (and line or stanza) it comes from, for messages
   * @param uri the archive URI, normalised as apt keeps it (ends in {@code /})
   * @param suite e.g. {@code bookworm}
   * @param components e.g. {@code [main, contrib]}
   * @param architectures the architectures the entry limits itself to, or empty for apt's default
   * @param keyFiles the image paths of the key files that may sign it
   * @param inlineKey the armored key written into {@code Signed-By}, or null
   * @param trusted the explicit opt-in to no signature check ({@code Trusted: yes})
   * @param checkValidUntil false when the entry opts out of the Valid-Until check
   */
  record Entry(
      String origin,
      String uri,
      String suite,
      List<String> components,
      List<String> architectures,
      List<String> keyFiles,
      String inlineKey,
      boolean trusted,
      boolean checkValidUntil) {
    Entry {
      components = List.copyOf(components);
      architectures = List.copyOf(architectures);
      keyFiles = List.copyOf(keyFiles);
    }

    /** What apt merges entries by: one Release per archive URI and suite. */
    String releaseKey() {
      return AptListNames.fileName(AptListNames.releaseUri(uri, suite, "Release"));
    }
  }

  /**
   * The entries of the image's sources, those of one archive and suite merged (components in order
   * of appearance), in the order apt reads them.
   *
   * @param nativeArch replaces {@code $(ARCH)} in URIs and suites, as apt does
   * @throws AptListsWriter.Unsupported naming the file and what it has that is not handled
   */
  static List<Entry> read(Path root, String nativeArch)
      throws IOException, AptListsWriter.Unsupported {
    List<Entry> entries = new ArrayList<>();
    Path main = RootfsPaths.resolveFollowing(root, SOURCES_LIST);
    if (Files.isRegularFile(main)) {
      entries.addAll(
          oneLine(SOURCES_LIST, Files.readString(main, StandardCharsets.UTF_8), nativeArch));
    }
    Path parts = RootfsPaths.resolveFollowing(root, SOURCES_PARTS);
    if (Files.isDirectory(parts)) {
      TreeSet<String> names = new TreeSet<>();
      try (DirectoryStream<Path> files = Files.newDirectoryStream(parts)) {
        for (Path f : files) {
          names.add(f.getFileName().toString());
        }
      }
      for (String name : names) {
        boolean list = name.endsWith(".list");
        if (!list && !name.endsWith(".sources")) {
          continue; // apt reads no other files there
        }
        String imagePath = SOURCES_PARTS + "/" + name;
        if (!PART_NAME.matcher(name).matches()) {
          throw new AptListsWriter.Unsupported(imagePath + " has a name apt skips");
        }
        Path file = RootfsPaths.resolveFollowing(root, imagePath);
        if (!Files.isRegularFile(file)) {
          throw new AptListsWriter.Unsupported(imagePath + " is not a regular file");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        entries.addAll(
            list ? oneLine(imagePath, text, nativeArch) : deb822(imagePath, text, nativeArch));
      }
    }
    return merge(entries);
  }

  /** Entries of a deb822 {@code .sources} file. */
  static List<Entry> deb822(String file, String text, String nativeArch)
      throws AptListsWriter.Unsupported {
    List<Stanza> stanzas;
    try {
      stanzas = Deb822.parse(text);
    } catch (IllegalArgumentException e) {
      throw new AptListsWriter.Unsupported(file + " does not parse: " + e.getMessage());
    }
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < stanzas.size(); i++) {
      Stanza s = stanzas.get(i);
      String origin = file + " (stanza " + (i + 1) + ")";
      String enabled = s.get("Enabled");
      if (enabled != null && !bool(origin, "Enabled", enabled)) {
        continue;
      }
      for (String field : s.names()) {
        if (UNSUPPORTED_FIELDS.contains(field.toLowerCase(Locale.ROOT))) {
          throw new AptListsWriter.Unsupported(origin + " sets " + field);
        }
      }
      List<String> types = words(s.get("Types"));
      for (String type : types) {
        if (!type.equals("deb") && !type.equals("deb-src")) {
          throw new AptListsWriter.Unsupported(origin + " has type '" + type + "'");
        }
      }
      if (!types.contains("deb")) {
        continue;
      }
      Map<String, String> options = new LinkedHashMap<>();
      for (String field : List.of("Signed-By", "Trusted", "Architectures", "Check-Valid-Until")) {
        if (s.has(field)) {
          options.put(field.toLowerCase(Locale.ROOT), s.get(field));
        }
      }
      List<String> suites =
          words(s.get("Suites")).stream().map(x -> x.replace("$(ARCH)", nativeArch)).toList();
      if (words(s.get("URIs")).isEmpty() || suites.isEmpty()) {
        throw new AptListsWriter.Unsupported(origin + " has no URIs or no Suites");
      }
      for (String uri : words(s.get("URIs"))) {
        for (String suite : suites) {
          out.add(
              entry(
                  origin,
                  uri.replace("$(ARCH)", nativeArch),
                  suite,
                  words(s.get("Components")),
                  options));
        }
      }
    }
    return out;
  }

  /** Entries of a one-line style file: {@code deb [ option=value ... ] uri suite component...}. */
  static List<Entry> oneLine(String file, String text, String nativeArch)
      throws AptListsWriter.Unsupported {
    List<Entry> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String origin = file + ":" + (n + 1);
      String line = withoutComment(lines[n]).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] typeAndRest = line.split("[ \t]+", 2);
      String type = typeAndRest[0];
      if (!type.equals("deb") && !type.equals("deb-src")) {
        throw new AptListsWriter.Unsupported(origin + " has type '" + type + "'");
      }
      if (type.equals("deb-src")) {
        continue;
      }
      String rest = typeAndRest.length > 1 ? typeAndRest[1].strip() : "";
      Map<String, String> options = new LinkedHashMap<>();
      if (rest.startsWith("[")) {
        int close = rest.indexOf(']');
        if (close < 0) {
          throw new AptListsWriter.Unsupported(origin + " has an option list without ']'");
        }
        for (String option : words(rest.substring(1, close))) {
          int eq = option.indexOf('=');
          if (eq <= 0 || eq == option.length() - 1) {
            throw new AptListsWriter.Unsupported(origin + " has option '" + option + "'");
          }
          String key = option.substring(0, eq).toLowerCase(Locale.ROOT);
          String value = option.substring(eq + 1);
          switch (key) {
            case "signed-by" -> options.put("signed-by", value.replace(',', ' '));
            case "trusted" -> options.put("trusted", value);
            case "arch" -> options.put("architectures", value.replace(',', ' '));
            case "check-valid-until" -> options.put("check-valid-until", value);
            case "lang", "lang+", "lang-", "pdiffs", "by-hash" -> {}
            default -> throw new AptListsWriter.Unsupported(origin + " sets option '" + key + "'");
          }
        }
        rest = rest.substring(close + 1).strip();
      }
      List<String> words = new ArrayList<>();
      for (String w : words(rest)) {
        if (w.indexOf('"') >= 0 || w.indexOf('[') >= 0) {
          throw new AptListsWriter.Unsupported(origin + " quotes '" + w + "'");
        }
        words.add(AptListNames.unescape(w)); // apt decodes %xx in one-line words
      }
      if (words.size() < 2) {
        throw new AptListsWriter.Unsupported(origin + " has no URI or no suite");
      }
      String suite = words.get(1).replace("$(ARCH)", nativeArch);
      out.add(
          entry(
              origin,
              words.get(0).replace("$(ARCH)", nativeArch),
              suite,
              words.subList(2, words.size()),
              options));
    }
    return out;
  }

  /** A line without its comment: from a {@code #} that is not inside an option list. */
  private static String withoutComment(String line) {
    for (int i = line.indexOf('#'); i >= 0; i = line.indexOf('#', i + 1)) {
      long open = line.substring(0, i).chars().filter(c -> c == '[').count();
      long closed = line.substring(0, i).chars().filter(c -> c == ']').count();
      if (open <= closed) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private static Entry entry(
      String origin, String uri, String suite, List<String> components, Map<String, String> options)
      throws AptListsWriter.Unsupported {
    String scheme =
        uri.contains(":") ? uri.substring(0, uri.indexOf(':')).toLowerCase(Locale.ROOT) : "";
    if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
      throw new AptListsWriter.Unsupported(
          origin + " has URI '" + uri + "' (handled: http, https, file)");
    }
    AptListNames.Parts parts = AptListNames.parse(uri);
    if (!parts.user().isEmpty() || !parts.password().isEmpty()) {
      throw new AptListsWriter.Unsupported(origin + " has a user or password in its URI");
    }
    if (scheme.equals("file") ? !parts.host().isEmpty() : parts.host().isEmpty()) {
      throw new AptListsWriter.Unsupported(
          origin
              + " has URI '"
              + uri
              + "' with "
              + (parts.host().isEmpty() ? "no" : "a")
              + " host");
    }
    if (suite.endsWith("/")) {
      throw new AptListsWriter.Unsupported(
          origin + " is a flat repository (suite '" + suite + "')");
    }
    if (!NAME.matcher(suite).matches()) {
      throw new AptListsWriter.Unsupported(origin + " has suite '" + suite + "'");
    }
    if (components.isEmpty()) {
      throw new AptListsWriter.Unsupported(origin + " has no components");
    }
    for (String c : components) {
      if (!COMPONENT.matcher(c).matches() || c.contains("..")) {
        throw new AptListsWriter.Unsupported(origin + " has component '" + c + "'");
      }
    }
    List<String> architectures = words(options.get("architectures"));
    for (String a : architectures) {
      if (!a.matches("[a-z0-9][a-z0-9-]*") || a.equals("all")) {
        throw new AptListsWriter.Unsupported(origin + " limits itself to architecture '" + a + "'");
      }
    }
    boolean trusted =
        options.containsKey("trusted") && bool(origin, "Trusted", options.get("trusted"));
    if (options.containsKey("trusted") && !trusted) {
      throw new AptListsWriter.Unsupported(origin + " is explicitly not trusted");
    }
    boolean checkValidUntil =
        !options.containsKey("check-valid-until")
            || bool(origin, "Check-Valid-Until", options.get("check-valid-until"));
    List<String> keyFiles = new ArrayList<>();
    String inlineKey = null;
    String signedBy = options.get("signed-by");
    if (signedBy != null && signedBy.contains("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
      inlineKey = inlineKey(signedBy);
    } else if (signedBy != null) {
      for (String key : words(signedBy.replace(',', ' '))) {
        if (!key.startsWith("/") || key.contains("/../") || key.endsWith("/..")) {
          throw new AptListsWriter.Unsupported(
              origin + " is signed by '" + key + "' (handled: key files)");
        }
        keyFiles.add(key);
      }
    }
    if (!trusted && keyFiles.isEmpty() && inlineKey == null) {
      throw new AptListsWriter.Unsupported(
          origin + " has no Signed-By (apt would trust its global keyring)");
    }
    return new Entry(
        origin,
        AptListNames.archiveUri(uri),
        suite,
        components,
        architectures,
        keyFiles,
        inlineKey,
        trusted,
        checkValidUntil);
  }

  /**
   * A key written into Signed-By: continuation lines unindented, a lone {@code .} an empty line.
   */
  private static String inlineKey(String value) {
    StringBuilder sb = new StringBuilder();
    for (String line : value.strip().split("\n")) {
      String l = line.strip();
      sb.append(l.equals(".") ? "" : l).append('\n');
    }
    return sb.toString();
  }

  /** Entries of one archive and suite as one, as apt does; conflicting settings are not handled. */
  static List<Entry> merge(List<Entry> entries) throws AptListsWriter.Unsupported {
    Map<String, Entry> merged = new LinkedHashMap<>();
    for (Entry e : entries) {
      Entry before = merged.get(e.releaseKey());
      if (before == null) {
        merged.put(e.releaseKey(), e);
        continue;
      }
      if (!before.keyFiles().equals(e.keyFiles())
          || before.trusted() != e.trusted()
          || before.checkValidUntil() != e.checkValidUntil()
          || !before.architectures().equals(e.architectures())
          || !java.util.Objects.equals(before.inlineKey(), e.inlineKey())) {
        throw new AptListsWriter.Unsupported(
            e.origin()
                + " and "
                + before.origin()
                + " name "
                + e.uri()
                + " "
                + e.suite()
                + " with different settings");
      }
      List<String> components = new ArrayList<>(before.components());
      e.components().stream().filter(c -> !components.contains(c)).forEach(components::add);
      merged.put(
          e.releaseKey(),
          new Entry(
              before.origin(),
              before.uri(),
              before.suite(),
              components,
              before.architectures(),
              before.keyFiles(),
              before.inlineKey(),
              before.trusted(),
              before.checkValidUntil()));
    }
    return List.copyOf(merged.values());
  }

  /** apt's boolean words. */
  private static boolean bool(String origin, String field, String value)
      throws AptListsWriter.Unsupported {
    switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "yes", "true", "with", "on", "enable", "1":
        return true;
      case "no", "false", "without", "off", "disable", "0":
        return false;
      default:
        throw new AptListsWriter.Unsupported(origin + " has " + field + " '" + value + "'");
    }
  }

  private static List<String> words(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.strip().split("\\s+")).toList();
  }

  private static Set<String> caseless(String... names) {
    return Set.copyOf(Arrays.stream(names).map(n -> n.toLowerCase(Locale.ROOT)).toList());
  }
}
