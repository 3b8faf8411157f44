package io.imagebuilder.manifest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads dpkg's database ({@code /var/lib/dpkg/status}) of a root filesystem: the packages whose
 * state is {@code installed}, the set {@code dpkg-query -W -f='${db:Status-Status}'} calls
 * installed. Packages only unpacked, half-configured or removed with their configuration kept are
 * left out: they are not part of a finished image.
 */
public final class DpkgStatus {
  /** The status file, relative to the root filesystem. */
  public static final String STATUS_FILE = "var/lib/dpkg/status";

  private static final Pattern SOURCE = Pattern.compile("(\\S+)(?:\\s+\\((\\S+)\\))?");

  /**
   * One installed package.
   *
   * @param name package name
   * @param version installed version
   * @param architecture its architecture
   * @param multiArch the Multi-Arch field or null
   * @param source the source package (the binary name when the record names none)
   * @param sourceVersion the source version (the binary version when the record names none)
   */
  public record Installed(
      String name, String version, String architecture, String multiArch, String source, String sourceVersion) {}

  private DpkgStatus() {}

  /** The installed packages of the root filesystem {@code rootfs}, sorted by name then architecture. */
  public static List<Installed> read(Path rootfs) throws IOException {
    Path status = rootfs.resolve(STATUS_FILE);
    if (Files.isSymbolicLink(status) || !Files.isRegularFile(status, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(
          status.toString(), null, "no dpkg status file (expected a regular file in a bootstrapped root filesystem)");
    }
    return parse(Files.readString(status, StandardCharsets.UTF_8), status.toString());
  }

  /** Parses the text of a status file; {@code origin} names it in errors. */
  public static List<Installed> parse(String text, String origin) {
    List<Installed> out = new ArrayList<>();
    int record = 0;
    for (String stanza : text.replace("\r\n", "\n").split("\n(?:[ \t]*\n)+")) {
      if (stanza.isBlank()) {
        continue;
      }
      record++;
      Map<String, String> fields = fields(stanza);
      String name = fields.get("Package");
      if (name == null) {
        throw new IllegalArgumentException(
            "record " + record + " of " + origin + " has no Package field (expected a dpkg status record)");
      }
      if (!isInstalled(fields.get("Status"))) {
        continue;
      }
      String version = require(fields, "Version", name, origin);
      String arch = require(fields, "Architecture", name, origin);
      String source = name;
      String sourceVersion = version;
      String sourceField = fields.get("Source");
      if (sourceField != null && !sourceField.isBlank()) {
        Matcher m = SOURCE.matcher(sourceField.trim());
        if (!m.matches()) {
          throw new IllegalArgumentException(
              "invalid Source '" + sourceField + "' of package " + name + " in " + origin
                  + " (expected 'name' or 'name (version)')");
        }
        source = m.group(1);
        if (m.group(2) != null) {
          sourceVersion = m.group(2);
        }
      }
      out.add(new Installed(name, version, arch, fields.get("Multi-Arch"), source, sourceVersion));
    }
    out.sort(Comparator.comparing(Installed::name).thenComparing(Installed::architecture));
    return out;
  }

  /** {@code Status: want flag state}; only the state {@code installed} counts. */
  private static boolean isInstalled(String status) {
    if (status == null) {
      return false;
    }
    String[] words = status.trim().split("\\s+");
    return words.length == 3 && words[2].equals("installed");
  }

  private static Map<String, String> fields(String stanza) {
    Map<String, String> fields = new LinkedHashMap<>();
    String current = null;
    for (String l : stanza.split("\n")) {
      if (l.startsWith(" ") || l.startsWith("\t")) {
        continue; // continuation of a multi-line field (Description, Conffiles): not needed here
      }
      int colon = l.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      current = l.substring(0, colon);
      fields.put(current, l.substring(colon + 1).trim());
    }
    return fields;
  }

  private static String require(Map<String, String> fields, String field, String name, String origin) {
    String value = fields.get(field);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(
          "installed package " + name + " in " + origin + " has no " + field + " field (expected one)");
    }
    return value;
  }
}
