package io.imagebuilder.manifest.internal;

import io.imagebuilder.internal.deb822.Deb822;
import io.imagebuilder.internal.deb822.DpkgState;
import io.imagebuilder.internal.deb822.Stanza;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads dpkg's database ({@code /var/lib/dpkg/status}) of a root filesystem with the library's
 * deb822 parser: the packages {@link DpkgState#installed} (the set {@code dpkg-query -W
 * -f='${db:Status-Status}'} calls installed). Packages only unpacked, half-configured or removed
 * with their configuration kept are left out: they are not part of a finished image.
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
      String name,
      String version,
      String architecture,
      String multiArch,
      String source,
      String sourceVersion) {}

  private DpkgStatus() {}

  /**
   * The installed packages of the root filesystem {@code rootfs}, sorted by name then architecture.
   */
  public static List<Installed> read(Path rootfs) throws IOException {
    Path status = rootfs.resolve(STATUS_FILE);
    if (Files.isSymbolicLink(status) || !Files.isRegularFile(status, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(
          status.toString(),
          null,
          "no dpkg status file (expected a regular file in a bootstrapped root filesystem)");
    }
    return parse(Files.readString(status, StandardCharsets.UTF_8), status.toString());
  }

  /** Parses the text of a status file; {@code origin} names it in errors. */
  public static List<Installed> parse(String text, String origin) {
    List<Stanza> stanzas;
    try {
      stanzas = Deb822.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          origin + " is not a dpkg status file: " + e.getMessage(), e);
    }
    List<Installed> out = new ArrayList<>();
    int record = 0;
    for (Stanza fields : stanzas) {
      record++;
      String name = fields.find("Package").orElse(null);
      if (name == null) {
        throw new IllegalArgumentException(
            "record "
                + record
                + " of "
                + origin
                + " has no Package field (expected a dpkg status record)");
      }
      if (!DpkgState.of(fields).installed()) {
        continue;
      }
      String version = require(fields, "Version", name, origin);
      String arch = require(fields, "Architecture", name, origin);
      String source = name;
      String sourceVersion = version;
      String sourceField = fields.find("Source").orElse(null);
      if (sourceField != null && !sourceField.isBlank()) {
        Matcher m = SOURCE.matcher(sourceField.trim());
        if (!m.matches()) {
          throw new IllegalArgumentException(
              "invalid Source '"
                  + sourceField
                  + "' of package "
                  + name
                  + " in "
                  + origin
                  + " (expected 'name' or 'name (version)')");
        }
        source = m.group(1);
        if (m.group(2) != null) {
          sourceVersion = m.group(2);
        }
      }
      out.add(
          new Installed(
              name, version, arch, fields.find("Multi-Arch").orElse(null), source, sourceVersion));
    }
    out.sort(Comparator.comparing(Installed::name).thenComparing(Installed::architecture));
    return out;
  }

  private static String require(Stanza fields, String field, String name, String origin) {
    String value = fields.find(field).orElse(null);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(
          "installed package "
              + name
              + " in "
              + origin
              + " has no "
              + field
              + " field (expected one)");
    }
    return value;
  }
}
