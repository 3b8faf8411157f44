package io.imagebuilder.rootfs.internal.deb;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.deb822.Deb822;
import io.imagebuilder.internal.deb822.Stanza;
import io.imagebuilder.internal.io.SafeDelete;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the dpkg database of a rootfs so that packages unpacked natively by {@link SafeExtractor}
 * are, to dpkg, packages in state {@code unpacked}: {@code dpkg --configure -a} run inside the
 * rootfs then configures them and {@code dpkg -l} shows {@code ii}.
 *
 * <p>For each package it writes {@code /var/lib/dpkg/info/<pkg>.list} (or {@code <pkg>:<arch>.*}
 * for {@code Multi-Arch: same}), copies the other control files there (maintainer scripts 0755, the
 * rest 0644), registers trigger interests in {@code triggers/}, and adds a status stanza with
 * {@code Status: install ok unpacked} and conffiles recorded as dpkg records a freshly unpacked one
 * ({@code newconffile}: the file waits as {@code <name>.dpkg-new}). The status file is rewritten
 * through {@code status-new} and a rename, as dpkg does.
 */
public final class DpkgDatabase {
  /** The status field order dpkg writes; other fields follow in their original order. */
  private static final List<String> FIELD_ORDER =
      List.of(
          "Package",
          "Essential",
          "Protected",
          "Status",
          "Priority",
          "Section",
          "Installed-Size",
          "Origin",
          "Maintainer",
          "Bugs",
          "Architecture",
          "Multi-Arch",
          "Source",
          "Version",
          "Config-Version",
          "Replaces",
          "Provides",
          "Depends",
          "Pre-Depends",
          "Recommends",
          "Suggests",
          "Breaks",
          "Conflicts",
          "Enhances",
          "Conffiles",
          "Description",
          "Triggers-Pending",
          "Triggers-Awaited");

  private static final List<String> SCRIPTS =
      List.of("preinst", "postinst", "prerm", "postrm", "config");

  private final Path dpkgDir;

  /** The database of the rootfs at {@code rootfs} (see {@link #init} to create it). */
  public DpkgDatabase(Path rootfs) {
    this.dpkgDir = rootfs.resolve("var/lib/dpkg");
  }

  /**
   * Creates an empty database: the directories and the files dpkg expects ({@code status}, {@code
   * available}, {@code arch} with {@code arch}, {@code diversions}, {@code statoverride}, {@code
   * cmethopt}, {@code info/format}). Existing files are kept.
   */
  public static DpkgDatabase init(Path rootfs, String arch) throws ImageBuildException {
    if (!arch.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("invalid architecture '" + arch + "'");
    }
    DpkgDatabase db = new DpkgDatabase(rootfs);
    try {
      for (String dir : List.of("", "info", "triggers", "updates", "alternatives", "parts")) {
        Files.createDirectories(db.dpkgDir.resolve(dir));
      }
      db.createIfMissing("status", "");
      db.createIfMissing("available", "");
      db.createIfMissing("arch", arch + "\n");
      db.createIfMissing("diversions", "");
      db.createIfMissing("statoverride", "");
      db.createIfMissing("cmethopt", "apt apt\n");
      db.createIfMissing("info/format", "1\n");
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot create the dpkg database in " + db.dpkgDir + ": " + e, e);
    }
    return db;
  }

  /**
   * Records {@code deb} as unpacked with the files {@code installed} (as {@link
   * SafeExtractor#extract} returned them).
   */
  public void addUnpacked(DebFile deb, List<String> installed) throws ImageBuildException {
    String name = deb.packageName();
    String ref = packageRef(deb);
    try {
      Path info = dpkgDir.resolve("info");
      Files.createDirectories(info);
      writeAtomically(info.resolve(ref + ".list"), lines(installed), "rw-r--r--");
      for (Map.Entry<String, byte[]> f : deb.controlFiles().entrySet()) {
        if (!f.getKey().matches("[a-z0-9][a-z0-9_.+-]*")) {
          continue; // dpkg ignores odd names too; never let one pick a path
        }
        String perms = SCRIPTS.contains(f.getKey()) ? "rwxr-xr-x" : "rw-r--r--";
        writeAtomically(info.resolve(ref + "." + f.getKey()), f.getValue(), perms);
      }
      registerTriggerInterests(deb, ref);
      writeStatus(name, deb.architecture(), statusStanza(deb));
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot record package '" + ref + "' in the dpkg database " + dpkgDir + ": " + e, e);
    }
  }

  /**
   * The name dpkg uses for the package's info files: {@code name}, or {@code name:arch} for {@code
   * Multi-Arch: same}.
   */
  public static String packageRef(DebFile deb) {
    boolean same = deb.control().get("Multi-Arch").map(v -> v.equals("same")).orElse(false);
    return same ? deb.packageName() + ":" + deb.architecture() : deb.packageName();
  }

  /**
   * Where dpkg keeps the package's maintainer script inside the rootfs, e.g. {@code
   * /var/lib/dpkg/info/base-passwd.preinst}, if the package has one. Native unpacking runs no
   * script: the caller runs each {@code preinst install} inside the rootfs before {@code dpkg
   * --configure -a} (base-passwd first: it creates /etc/passwd and /etc/group that others need).
   */
  public static Optional<String> maintainerScript(DebFile deb, String script) {
    if (!SCRIPTS.contains(script) || deb.controlFile(script).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("/var/lib/dpkg/info/" + packageRef(deb) + "." + script);
  }

  /** Where dpkg extracts the control archive of the package it is unpacking. */
  public static final String CONTROL_DIR = "/var/lib/dpkg/tmp.ci";

  /**
   * Puts {@code deb}'s control archive in {@value #CONTROL_DIR} as dpkg does before it runs the
   * package's {@code preinst}: every control file (and {@code control}) with its archive mode.
   * Tools a preinst calls look there: debconf's confmodule reads the package's name from {@code
   * tmp.ci/control} to own the questions it registers. Replaces what an earlier package left.
   *
   * @return the preinst's path inside the rootfs, {@code /var/lib/dpkg/tmp.ci/preinst}
   */
  public String stageControlArchive(DebFile deb) throws ImageBuildException {
    Path dir = dpkgDir.resolve("tmp.ci");
    try {
      clearControlArchive();
      Files.createDirectory(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put("control", deb.controlText().getBytes(StandardCharsets.UTF_8));
      files.putAll(deb.controlFiles());
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        if (!f.getKey().matches("[a-z0-9][a-z0-9_.+-]*")) {
          continue; // as addUnpacked: never let a name pick a path
        }
        Path file = dir.resolve(f.getKey());
        Files.write(file, f.getValue(), StandardOpenOption.CREATE_NEW);
        Posix.chmod(file, controlMode(deb, f.getKey()));
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot put the control files of '" + packageRef(deb) + "' in " + dir + ": " + e, e);
    }
    return CONTROL_DIR + "/preinst";
  }

  /** Removes {@value #CONTROL_DIR}, as dpkg does once the package is unpacked. */
  public void clearControlArchive() throws IOException {
    Path dir = dpkgDir.resolve("tmp.ci");
    if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      SafeDelete.deleteTreeOrThrow(dir);
    }
  }

  /** A control file's mode in the package's control.tar (0755 scripts, 0644 else, if unlisted). */
  private static int controlMode(DebFile deb, String name) {
    for (org.apache.commons.compress.archivers.tar.TarArchiveEntry e : deb.controlEntries()) {
      String entry = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
      if (entry.equals(name) && e.isFile()) {
        return e.getMode() & 0777;
      }
    }
    return SCRIPTS.contains(name) ? 0755 : 0644;
  }

  /** The stanza dpkg would write for {@code deb} after unpacking it (no trailing blank line). */
  static String statusStanza(DebFile deb) {
    Map<String, String> known = new LinkedHashMap<>();
    List<ControlStanza.Field> others = new ArrayList<>();
    for (ControlStanza.Field f : deb.control().fields()) {
      Optional<String> canonical =
          FIELD_ORDER.stream().filter(k -> k.equalsIgnoreCase(f.name())).findFirst();
      if (canonical.isPresent()) {
        if (!canonical.get().equals("Status") && !canonical.get().equals("Conffiles")) {
          known.put(canonical.get(), f.value());
        }
      } else {
        others.add(f);
      }
    }
    known.put("Status", "install ok unpacked");
    List<String> conffiles = deb.conffiles();
    if (!conffiles.isEmpty()) {
      StringBuilder value = new StringBuilder();
      for (String c : conffiles) {
        value.append("\n ").append(c).append(" newconffile");
      }
      known.put("Conffiles", value.toString());
    }
    StringBuilder out = new StringBuilder();
    for (String field : FIELD_ORDER) {
      String value = known.get(field);
      if (value != null) {
        appendField(out, field, value);
      }
    }
    for (ControlStanza.Field f : others) {
      appendField(out, f.name(), f.value());
    }
    return out.toString();
  }

  private static void appendField(StringBuilder out, String name, String value) {
    out.append(name).append(':');
    if (!value.isEmpty() && !value.startsWith("\n")) {
      out.append(' ');
    }
    out.append(value).append('\n');
  }

  /** Replaces or appends the package's stanza in {@code status}, via status-new and rename. */
  private void writeStatus(String name, String arch, String stanza) throws IOException {
    Path status = dpkgDir.resolve("status");
    String old = Files.exists(status) ? Files.readString(status, StandardCharsets.UTF_8) : "";
    StringBuilder out = new StringBuilder();
    boolean replaced = false;
    for (String existing : old.split("\n\n+")) {
      if (existing.isBlank()) {
        continue;
      }
      Stanza s = Deb822.parse(existing).get(0);
      boolean same =
          s.find("Package").orElse("").equals(name)
              && s.find("Architecture").orElse("").equals(arch);
      out.append(same ? stanza : existing.strip() + "\n").append('\n');
      replaced |= same;
    }
    if (!replaced) {
      out.append(stanza).append('\n');
    }
    writeAtomically(status, out.toString().getBytes(StandardCharsets.UTF_8), "rw-r--r--");
  }

  /**
   * Records the package's {@code interest*} directives as dpkg does on unpack: file triggers in
   * {@code triggers/File} ({@code <path> <pkg>[/noawait]}), named triggers in {@code
   * triggers/<name>} ({@code <pkg>[/noawait]}).
   */
  private void registerTriggerInterests(DebFile deb, String ref) throws IOException {
    List<TriggerInterest> interests = triggerInterests(deb);
    if (interests.isEmpty()) {
      return;
    }
    Path dir = dpkgDir.resolve("triggers");
    Files.createDirectories(dir);
    for (TriggerInterest interest : interests) {
      String who = ref + (interest.noawait() ? "/noawait" : "");
      if (interest.isFileTrigger()) {
        appendLineOnce(dir.resolve("File"), interest.trigger() + " " + who);
      } else if (interest.trigger().matches("[\\x21-\\x7e&&[^/]]+")) {
        appendLineOnce(dir.resolve(interest.trigger()), who);
      }
    }
  }

  /** A trigger a package is interested in: a file trigger is an absolute path. */
  public record TriggerInterest(String trigger, boolean noawait) {
    public boolean isFileTrigger() {
      return trigger.startsWith("/");
    }
  }

  /** The {@code interest*} lines of a package's {@code triggers} control file. */
  public static List<TriggerInterest> triggerInterests(DebFile deb) {
    Optional<byte[]> triggers = deb.controlFile("triggers");
    if (triggers.isEmpty()) {
      return List.of();
    }
    List<TriggerInterest> out = new ArrayList<>();
    for (String line : new String(triggers.get(), StandardCharsets.UTF_8).split("\n")) {
      String[] words = line.strip().split("\\s+");
      if (words.length < 2 || words[0].startsWith("#") || !words[0].startsWith("interest")) {
        continue;
      }
      out.add(new TriggerInterest(words[1], words[0].equals("interest-noawait")));
    }
    return out;
  }

  private static void appendLineOnce(Path file, String line) throws IOException {
    List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
    if (!lines.contains(line)) {
      Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  private void createIfMissing(String name, String content) throws IOException {
    Path p = dpkgDir.resolve(name);
    if (!Files.exists(p)) {
      writeAtomically(p, content.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
    }
  }

  private static byte[] lines(List<String> paths) {
    StringBuilder sb = new StringBuilder();
    for (String p : paths) {
      sb.append(p).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void writeAtomically(Path target, byte[] content, String perms)
      throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + "-new");
    Files.write(tmp, content);
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(perms));
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public String toString() {
    return "DpkgDatabase[" + dpkgDir + "]";
  }
}
