package io.imagebuilder.api.error;

import java.util.Objects;

/**
 * A package, or another archive bound for the image (a base image), was rejected before any of it
 * reached dpkg or ran as the target: one of its entries would write outside the root filesystem or
 * create something a package must not create. The shapes refused are an entry with a {@code ..}
 * component or an absolute path, a relative symlink that climbs above the root, a path through a
 * symlink the same archive made, a device node, a FIFO, a hard link to something the archive has
 * not shipped before it, and in the control archive anything but the plain control files dpkg knows
 * how to keep.
 *
 * <p>The message names the package, its version, the file it was read from, the entry and why it
 * was refused. Nothing outside the target has been written when this is thrown.
 */
public class UnsafePackageException extends ImageBuildException {
  private static final long serialVersionUID = 1L;

  /** The package's name. */
  private final String packageName;

  /** The package's version, empty when not known. */
  private final String version;

  /** The offending entry's name. */
  private final String entry;

  /** Why the entry was refused. */
  private final String reason;

  /**
   * A rejected package.
   *
   * @param packageName the package's {@code Package} field, or a label for an archive that is not a
   *     package
   * @param version the package's {@code Version} field; empty when not known
   * @param file where the package was read from (a path or URL), for the message; may be empty
   * @param entry the offending entry's name exactly as it appears in the archive
   * @param reason why it was refused, e.g. {@code has a '..' component}
   */
  public UnsafePackageException(
      String packageName, String version, String file, String entry, String reason) {
    super(describe(packageName, version, file, entry, reason));
    this.packageName = Objects.requireNonNull(packageName, "packageName");
    this.version = Objects.requireNonNull(version, "version");
    this.entry = Objects.requireNonNull(entry, "entry");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  private static String describe(
      String packageName, String version, String file, String entry, String reason) {
    StringBuilder sb = new StringBuilder("package '").append(packageName).append('\'');
    if (version != null && !version.isEmpty()) {
      sb.append(" version ").append(version);
    }
    if (file != null && !file.isEmpty()) {
      sb.append(" (").append(file).append(')');
    }
    return sb.append(" rejected: entry '").append(entry).append("' ").append(reason).toString();
  }

  /** {@return the rejected package's name (its {@code Package} field), or the archive's label} */
  public String packageName() {
    return packageName;
  }

  /** {@return the rejected package's version (its {@code Version} field); empty when not known} */
  public String version() {
    return version;
  }

  /**
   * {@return the offending entry's name, exactly as it appears in the archive (e.g. {@code
   * ./../x})}
   */
  public String entry() {
    return entry;
  }

  /** {@return why the entry was refused, e.g. {@code is a device node}} */
  public String reason() {
    return reason;
  }
}
