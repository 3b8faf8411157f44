package io.imagebuilder.rootfs.internal.localrepo;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.rootfs.internal.deb.DebFile;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks the control fields of a local .deb before they name a file or go into the side
 * repository's index: a local package comes from the caller (or a queued request), so its {@code
 * Package}, {@code Version} and {@code Architecture} must not be able to steer a pool path, and its
 * control text must not add a stanza or repository fields of its own to the index.
 */
final class LocalPackageFields {
  /** Debian policy 5.6.1: lower case letters, digits, plus, minus and dots; two or more. */
  private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]+");

  /**
   * Debian policy 5.6.12: {@code [epoch:]upstream[-revision]}; the upstream part starts with a
   * digit; a colon only after an epoch.
   */
  private static final Pattern VERSION =
      Pattern.compile("([0-9]+:[0-9][A-Za-z0-9.+~:-]*|[0-9][A-Za-z0-9.+~-]*)");

  /** A dpkg architecture name such as {@code arm64} or {@code all}. */
  private static final Pattern ARCHITECTURE = Pattern.compile("[a-z0-9][a-z0-9-]*");

  /** Fields the repository writes itself: a package's own would contradict or redirect them. */
  private static final List<String> INDEX_FIELDS =
      List.of("filename", "size", "md5sum", "sha1", "sha256", "sha512");

  private LocalPackageFields() {}

  /**
   * The pool file name {@code <package>_<version>_<arch>.deb}, after checking that every part is
   * what policy allows.
   *
   * @throws ImageBuildException naming the file, the field and its value
   */
  static String poolName(DebFile deb) throws ImageBuildException {
    String name = field(deb, "Package", PACKAGE, "a Debian package name such as openssh-server");
    String version =
        field(
            deb, "Version", VERSION, "a Debian version such as 1.2-1 or 2:1.0~rc1 (policy 5.6.12)");
    String arch =
        field(deb, "Architecture", ARCHITECTURE, "a Debian architecture such as arm64 or all");
    if (deb.controlText().strip().contains("\n\n")) {
      throw new ImageBuildException(
          "local package "
              + deb.path()
              + " has more than one stanza in its control file (expected one)");
    }
    for (var f : deb.control().fields()) {
      if (INDEX_FIELDS.contains(f.name().toLowerCase(Locale.ROOT))) {
        throw new ImageBuildException(
            "local package "
                + deb.path()
                + " sets the repository field '"
                + f.name()
                + "' in its control file (expected only package fields; the repository writes "
                + f.name()
                + " itself)");
      }
    }
    // An epoch's ':' is kept out of file names, as it always was here (a kept repository's bytes).
    return name + "_" + version.replace(':', '%') + "_" + arch + ".deb";
  }

  private static String field(DebFile deb, String field, Pattern pattern, String expected)
      throws ImageBuildException {
    String value = deb.control().get(field).orElse(null);
    if (value == null || !pattern.matcher(value).matches()) {
      throw new ImageBuildException(
          "local package "
              + deb.path()
              + " has an invalid "
              + field
              + " '"
              + value
              + "' (expected "
              + expected
              + ")");
    }
    return value;
  }
}
