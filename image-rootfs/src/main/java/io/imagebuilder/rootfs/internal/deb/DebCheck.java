package io.imagebuilder.rootfs.internal.deb;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.UnsafePackageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The one check every .deb passes before its files reach a rootfs, whoever unpacks it (the
 * bootstrap's {@link SafeExtractor}, or dpkg for apt-installed and local packages). It looks at the
 * archive alone, so it runs before anything is written; where an entry lands among the links
 * already in a rootfs is the extractor's part.
 *
 * <p>Refused in data.tar: an absolute name or a {@code ..} component; the root named by anything
 * but a directory; a device node; a FIFO (no Debian package ships one: the 1,666 bookworm packages
 * of a build host hold none, and a tar header cannot hold a socket); a relative symlink that climbs
 * above the root from its own directory (dpkg, chrooted, would clamp it at {@code /}, but a
 * host-side reader would leave the tree; no Debian package ships one either); a path through a
 * symlink the same archive made (dpkg-deb builds from a real tree, where a link has no children); a
 * hard link whose target is outside or is not a regular file shipped earlier in the same archive;
 * any other tar type. Refused in control.tar: anything but the root directory and plain files with
 * a control-file name ({@link #isPlainControlFile}), and a name twice.
 */
public final class DebCheck {
  /** dpkg's control-file names: lowercase words; {@code list} is dpkg's own file list. */
  private static final Pattern CONTROL_NAME = Pattern.compile("[a-z0-9][a-z0-9._+-]*");

  private DebCheck() {}

  /**
   * Checks a whole package: its control archive, then every data.tar entry (streamed, nothing
   * written).
   *
   * @throws UnsafePackageException naming package, version, file and entry
   * @throws ImageBuildException if the data archive cannot be read
   */
  public static void check(DebFile deb) throws ImageBuildException {
    checkControl(deb);
    DataEntries entries = dataEntries(deb);
    String current = "";
    try (TarArchiveInputStream tar = deb.openData()) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        current = e.getName();
        entries.check(e);
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot read package '"
              + deb.packageName()
              + "' ("
              + deb.path()
              + ")"
              + (current.isEmpty() ? "" : " after entry '" + current + "'")
              + ": "
              + e,
          e);
    }
  }

  /** Checks the control archive's entries, already read by {@link DebFile#open}. */
  public static void checkControl(DebFile deb) throws UnsafePackageException {
    Set<String> seen = new HashSet<>();
    for (TarArchiveEntry e : deb.controlEntries()) {
      String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
      if (e.isDirectory() && (name.isEmpty() || name.equals(".") || name.equals("./"))) {
        continue;
      }
      if (!isPlainControlFile(e, name)) {
        throw new UnsafePackageException(
            deb.packageName(),
            deb.version(),
            deb.path().toString(),
            e.getName(),
            "in the control archive is "
                + describe(e, name)
                + " (expected plain control files such as postinst, md5sums, conffiles)");
      }
      if (!seen.add(name)) {
        throw new UnsafePackageException(
            deb.packageName(),
            deb.version(),
            deb.path().toString(),
            e.getName(),
            "appears twice in the control archive");
      }
    }
  }

  /** Whether a control.tar entry is a plain file dpkg keeps as {@code <package>.<name>}. */
  static boolean isPlainControlFile(TarArchiveEntry e, String name) {
    return isRegular(e) && CONTROL_NAME.matcher(name).matches() && !name.equals("list");
  }

  private static String describe(TarArchiveEntry e, String name) {
    if (e.isSymbolicLink()) {
      return "a symlink to '" + e.getLinkName() + "'";
    }
    if (e.isLink()) {
      return "a hard link to '" + e.getLinkName() + "'";
    }
    if (e.isCharacterDevice() || e.isBlockDevice()) {
      return "a device node";
    }
    if (e.isFIFO()) {
      return "a FIFO";
    }
    if (e.isDirectory()) {
      return "a directory";
    }
    if (!isRegular(e)) {
      return "of tar type '" + (char) e.getLinkFlag() + "'";
    }
    return name.equals("list")
        ? "named 'list', dpkg's own file list"
        : "a file with an unexpected name";
  }

  /** The checker of one package's data.tar entries, in archive order. */
  public static DataEntries dataEntries(DebFile deb) {
    return new DataEntries(deb.packageName(), deb.version(), deb.path().toString());
  }

  /**
   * The checker of one archive's data entries, fed each entry in archive order before it is used.
   * For an archive that is not a package (a base image), {@code name} is its label and {@code
   * version} and {@code file} may be empty.
   */
  public static DataEntries dataEntries(String name, String version, String file) {
    return new DataEntries(name, version, file);
  }

  /** Checks one archive's data entries in order; remembers its symlinks and regular files. */
  public static final class DataEntries {
    private final String name;
    private final String version;
    private final String file;
    private final Set<String> symlinks = new HashSet<>();
    private final Set<String> files = new HashSet<>();

    private DataEntries(String name, String version, String file) {
      this.name = name;
      this.version = version;
      this.file = file;
    }

    /**
     * Checks the next entry.
     *
     * @return the entry's path components below the root ({@code ./usr/bin/} gives {@code usr,
     *     bin}); empty for the root itself
     * @throws UnsafePackageException if the entry is refused
     */
    public List<String> check(TarArchiveEntry e) throws UnsafePackageException {
      String raw = e.getName();
      List<String> parts = components(raw);
      if (parts.isEmpty()) {
        if (!e.isDirectory()) {
          throw reject(raw, "names the root but is not a directory");
        }
        return parts;
      }
      if (e.isCharacterDevice() || e.isBlockDevice()) {
        throw reject(raw, "is a device node");
      }
      if (e.isFIFO()) {
        throw reject(raw, "is a FIFO");
      }
      for (int i = 1; i < parts.size(); i++) {
        String prefix = String.join("/", parts.subList(0, i));
        if (symlinks.contains(prefix)) {
          throw reject(raw, "goes through the symlink '/" + prefix + "' the same package made");
        }
      }
      String path = String.join("/", parts);
      if (e.isSymbolicLink()) {
        symlink(raw, parts, e.getLinkName());
        symlinks.add(path);
        files.remove(path);
      } else if (e.isLink()) {
        hardLink(raw, e.getLinkName());
        files.add(path);
        symlinks.remove(path);
      } else if (isRegular(e)) {
        files.add(path);
        symlinks.remove(path);
      } else if (e.isDirectory()) {
        files.remove(path);
        if (symlinks.contains(path)) {
          throw reject(
              raw, "makes a directory where the same package made the symlink '/" + path + "'");
        }
      } else {
        throw reject(raw, "has unsupported tar type '" + (char) e.getLinkFlag() + "'");
      }
      return parts;
    }

    private void symlink(String raw, List<String> parts, String target)
        throws UnsafePackageException {
      if (target.isEmpty() || target.indexOf('\0') >= 0) {
        throw reject(raw, "is a symlink with an empty or unusable target");
      }
      if (target.startsWith("/")) {
        return; // resolved from the target's own root, as dpkg inside the target does
      }
      int depth = parts.size() - 1;
      for (String c : target.split("/")) {
        if (c.equals("..")) {
          if (--depth < 0) {
            throw reject(raw, "is a symlink to '" + target + "', which climbs above the root");
          }
        } else if (!c.isEmpty() && !c.equals(".")) {
          depth++;
        }
      }
    }

    private void hardLink(String raw, String target) throws UnsafePackageException {
      List<String> parts;
      try {
        parts = components(target);
      } catch (UnsafePackageException outside) {
        throw reject(raw, "is a hard link to '" + target + "' outside the package");
      }
      if (!files.contains(String.join("/", parts))) {
        throw reject(
            raw,
            "is a hard link to '"
                + target
                + "', which is not a file the package shipped before it");
      }
    }

    /** Splits a name into components, refusing absolute names and {@code ..}. */
    private List<String> components(String raw) throws UnsafePackageException {
      if (raw.startsWith("/")) {
        throw reject(raw, "has an absolute path");
      }
      List<String> parts = new ArrayList<>();
      for (String p : raw.split("/")) {
        if (p.equals("..")) {
          throw reject(raw, "has a '..' component");
        }
        if (!p.isEmpty() && !p.equals(".")) {
          parts.add(p);
        }
      }
      return parts;
    }

    /**
     * The refusal of {@code entry} for {@code reason}, naming this archive (for the extractor too).
     */
    public UnsafePackageException reject(String entry, String reason) {
      return new UnsafePackageException(name, version, file, entry, reason);
    }
  }

  static boolean isRegular(TarArchiveEntry e) {
    byte flag = e.getLinkFlag();
    return flag == TarConstants.LF_NORMAL
        || flag == TarConstants.LF_OLDNORM
        || flag == TarConstants.LF_CONTIG;
  }
}
