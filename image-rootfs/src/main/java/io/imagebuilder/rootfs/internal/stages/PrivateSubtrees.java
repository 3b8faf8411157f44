package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.internal.io.RootfsPaths;
import io.imagebuilder.rootfs.internal.deb.DebRepacker.Listed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The directories of one apt transaction whose files the JVM writes itself, for dpkg to skip
 * ({@code --path-exclude}): under emulation dpkg spends seconds per thousand files (a kernel's
 * 4,556 modules took 5-10 s, 1.2 s without them), natively they take a fraction of one.
 *
 * <p>A directory qualifies when the result is the one dpkg's own unpack gives: its package is
 * installed fresh, the directory does not exist in the target yet while its parent does, no other
 * package of the transaction has an entry at or below it, it holds no conffile, no hard link
 * crosses its boundary, and no diversion or file-trigger interest (installed, or of a package of
 * the transaction) lies at, below or above it; paths are compared as the target resolves them
 * (merged /usr). dpkg still lists every excluded entry in the package's file list, so the database
 * is what a plain install writes (checked: same {@code .list}, same status). Only directories of at
 * least {@value #MIN_ENTRIES} entries are worth it, one per package, the one with the most entries.
 *
 * <p>The files appear before apt runs rather than when dpkg would unpack them: a maintainer script
 * running earlier in the transaction that read such a directory would see them early. A directory
 * that exists nowhere in the target and that only its package ships (a kernel's {@code
 * /lib/modules/<release>}) is one no earlier script has a reason to read.
 */
final class PrivateSubtrees {
  static final int MIN_ENTRIES = 1000;

  /** One package of the transaction, as its repack listed it. */
  record Package(
      boolean fresh,
      List<Listed> entries,
      List<String> conffiles,
      List<String> fileTriggerInterests) {}

  private final Path root;
  private final Map<String, String> canonical = new HashMap<>();

  private PrivateSubtrees(Path root) {
    this.root = root;
  }

  /**
   * A directory to unpack natively, as its package names it (e.g. {@code /lib/modules}), and how
   * many entries lie below it.
   */
  record Choice(String directory, int entries) {}

  /** For each package that has one, its directory, keyed by its index in {@code packages}. */
  static Map<Integer, Choice> choose(Path root, List<Package> packages) throws IOException {
    return new PrivateSubtrees(root).chooseAll(packages);
  }

  private Map<Integer, Choice> chooseAll(List<Package> packages) throws IOException {
    // canonical path -> the packages with an entry there
    TreeMap<String, Set<Integer>> owners = new TreeMap<>();
    List<String> forbidden = new ArrayList<>(installedDiversionsAndInterests());
    for (int i = 0; i < packages.size(); i++) {
      Package p = packages.get(i);
      for (Listed e : p.entries()) {
        owners.computeIfAbsent(canonical(e.path()), k -> new HashSet<>()).add(i);
      }
      for (String interest : p.fileTriggerInterests()) {
        forbidden.add(canonical(interest));
      }
    }
    Map<Integer, Choice> chosen = new LinkedHashMap<>();
    for (int i = 0; i < packages.size(); i++) {
      Package p = packages.get(i);
      if (!p.fresh() || p.entries().size() < MIN_ENTRIES) {
        continue;
      }
      // a qualifying directory's subdirectories qualify too, with fewer entries: the most is the
      // topmost
      String best = null;
      int bestCount = 0;
      for (Listed dir : p.entries()) {
        if (!dir.directory() || dir.path().equals("/")) {
          continue;
        }
        int count = qualifyingEntries(i, p, dir.path(), owners, forbidden);
        if (count > bestCount) {
          best = dir.path();
          bestCount = count;
        }
      }
      if (best != null) {
        chosen.put(i, new Choice(best, bestCount));
      }
    }
    return chosen;
  }

  /** The entries below {@code dir} if it qualifies (at least MIN_ENTRIES), else 0. */
  private int qualifyingEntries(
      int index,
      Package p,
      String dir,
      TreeMap<String, Set<Integer>> owners,
      List<String> forbidden)
      throws IOException {
    if (dir.matches(".*[*?\\[\\]\\\\].*")) {
      return 0; // not usable as a literal in dpkg's glob
    }
    String real = canonical(dir);
    Path host = root.resolve(real.substring(1));
    if (Files.exists(host, LinkOption.NOFOLLOW_LINKS)
        || !Files.isDirectory(host.getParent(), LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    if (anotherPackageAtOrBelow(owners, real, index)) {
      return 0;
    }
    for (String f : forbidden) {
      if (isAtOrBelow(f, real) || isAtOrBelow(real, f)) {
        return 0;
      }
    }
    String prefix = dir + "/";
    if (p.conffiles().stream().anyMatch(c -> c.startsWith(prefix))) {
      return 0;
    }
    int count = 0;
    for (Listed e : p.entries()) {
      boolean inside = e.path().startsWith(prefix);
      if (e.hardLinkTo() != null && inside != e.hardLinkTo().startsWith(prefix)) {
        return 0;
      }
      if (inside) {
        count++;
      }
    }
    return count >= MIN_ENTRIES ? count : 0;
  }

  private static boolean anotherPackageAtOrBelow(
      TreeMap<String, Set<Integer>> owners, String real, int index) {
    // the range also holds siblings such as "/a/b-x", which sort between "/a/b" and "/a/b/"
    for (Map.Entry<String, Set<Integer>> e :
        owners.subMap(real, true, real + "/\uffff", true).entrySet()) {
      if (isAtOrBelow(e.getKey(), real) && !e.getValue().equals(Set.of(index))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAtOrBelow(String path, String dir) {
    return path.equals(dir) || path.startsWith(dir.endsWith("/") ? dir : dir + "/");
  }

  /**
   * {@code path} as the target resolves it: its directory's existing links followed inside the root
   * ({@code /lib/modules/x} is {@code /usr/lib/modules/x} under merged /usr).
   */
  private String canonical(String path) throws IOException {
    if (path.equals("/")) {
      return path;
    }
    int slash = path.lastIndexOf('/');
    String dir = slash <= 0 ? "/" : path.substring(0, slash);
    String resolvedDir = canonical.get(dir);
    if (resolvedDir == null) {
      Path host = RootfsPaths.resolveFollowing(root, dir);
      resolvedDir = "/" + root.relativize(host);
      canonical.put(dir, resolvedDir);
    }
    return (resolvedDir.equals("/") ? "" : resolvedDir) + path.substring(slash);
  }

  /** The paths of the target's diversions and installed file-trigger interests, canonical. */
  private List<String> installedDiversionsAndInterests() throws IOException {
    List<String> out = new ArrayList<>();
    Path diversions = root.resolve("var/lib/dpkg/diversions");
    if (Files.isRegularFile(diversions, LinkOption.NOFOLLOW_LINKS)) {
      // three lines each: the diverted path, where it went, the package ("" for local)
      List<String> lines = Files.readAllLines(diversions, StandardCharsets.UTF_8);
      for (int i = 0; i + 1 < lines.size(); i += 3) {
        out.add(canonical(lines.get(i)));
        out.add(canonical(lines.get(i + 1)));
      }
    }
    Path interests = root.resolve("var/lib/dpkg/triggers/File");
    if (Files.isRegularFile(interests, LinkOption.NOFOLLOW_LINKS)) {
      for (String line : Files.readAllLines(interests, StandardCharsets.UTF_8)) {
        String path = line.strip().split("\\s+")[0];
        if (path.startsWith("/")) {
          out.add(canonical(path));
        }
      }
    }
    return out;
  }
}
