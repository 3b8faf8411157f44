package io.imagebuilder.internal.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Decides whether a build may use a directory as its output or cache directory: not a host system
 * directory ({@link HostDirectories}), not a file, and either new, empty or ImageBuilder's. An
 * output directory is ImageBuilder's when it holds the lock file every build leaves there ({@value
 * #OUTPUT_MARKER}), or only what builds write (logs, artifacts, manifests); a cache directory when
 * it holds ImageBuilder's {@value #CACHE_TAG} (the Cache Directory Tagging convention, which backup
 * tools honour), or only the cache's own entries.
 */
public final class OwnedDirectories {
  /** The output directory's lock file, which also marks it as ImageBuilder's. */
  public static final String OUTPUT_MARKER = ".imagebuilder.lock";

  /** The file that marks a cache directory. */
  public static final String CACHE_TAG = "CACHEDIR.TAG";

  static final String CACHE_TAG_TEXT =
      "Signature: 8a477f597d28d172789f06886806bc55\n"
          + "# This file is a cache directory tag created by ImageBuilder.\n"
          + "# For information about cache directory tags, see https://bford.info/cachedir/\n";

  private static final List<String> OUTPUT_SUFFIXES =
      List.of(
          ".tar",
          ".tar.gz",
          ".tar.xz",
          ".tar.zst",
          ".img",
          ".img.xz",
          ".img.zst",
          ".qcow2",
          ".manifest",
          ".manifest.json",
          ".cdx.json");
  private static final Set<String> CACHE_ENTRIES =
      Set.of(
          "packages",
          "work",
          "indexes",
          "trees",
          "keys",
          "results",
          "stages",
          ".lock", // the cache's lock (CacheLock), which a cache collection can make first
          CACHE_TAG);

  private OwnedDirectories() {}

  /**
   * {@code dir} as an absolute path, if a build may write its artifacts there.
   *
   * @throws IllegalArgumentException naming the directory and the reason when it may not
   */
  public static Path checkOutput(Path dir) {
    Path abs = checkDirectory(dir, "output directory");
    String stranger = firstStranger(abs, OwnedDirectories::isOutputEntry, OUTPUT_MARKER);
    if (stranger != null) {
      throw new IllegalArgumentException(
          "invalid output directory '"
              + abs
              + "' (not empty and not ImageBuilder's: it holds '"
              + stranger
              + "', which no build wrote; expected a new or empty directory, or one an earlier build wrote)");
    }
    return abs;
  }

  /**
   * {@code dir} as an absolute path, if a build may keep its cache there.
   *
   * @throws IllegalArgumentException naming the directory and the reason when it may not
   */
  public static Path checkCache(Path dir) {
    Path abs = checkDirectory(dir, "cache directory");
    requireWritable(abs);
    if (isTagged(abs)) {
      return abs;
    }
    String stranger =
        firstStranger(
            abs,
            name ->
                CACHE_ENTRIES.contains(name)
                    || name.startsWith("index.db")
                    || AtomicFiles.isTemporary(name),
            null);
    if (stranger != null) {
      throw new IllegalArgumentException(
          "invalid cache directory '"
              + abs
              + "' (not empty and not ImageBuilder's: it holds '"
              + stranger
              + "' and no "
              + CACHE_TAG
              + "; expected a new or empty directory, or an ImageBuilder cache)");
    }
    return abs;
  }

  /**
   * Fails before any work when this process cannot write the cache (or, while it does not exist,
   * the directory it would be made in), or one of its areas: typically a cache made by root and
   * used by another user, which would otherwise fail halfway through a build.
   */
  private static void requireWritable(Path cache) {
    Path existing = cache;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    List<Path> toWrite = new ArrayList<>();
    if (existing != null) {
      toWrite.add(existing);
    }
    if (existing == cache) {
      for (String area : CACHE_ENTRIES) {
        Path p = cache.resolve(area);
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          toWrite.add(p);
        }
      }
    }
    for (Path p : toWrite) {
      if (!Files.isWritable(p)) {
        throw new IllegalArgumentException(
            "invalid cache directory '"
                + cache
                + "' ("
                + p
                + " is not writable by this user, "
                + System.getProperty("user.name")
                + (p.equals(cache) ? "" : ": the cache was made by another user")
                + "; expected a cache directory of your own: give one with"
                + " RunConfiguration.withCacheDir(...) or --cache DIR, or make this one yours)");
      }
    }
  }

  /** Creates the cache directory if needed and marks it as ImageBuilder's. */
  public static void tagCache(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (!isTagged(dir)) {
      AtomicFiles.writeString(dir.resolve(CACHE_TAG), CACHE_TAG_TEXT);
    }
  }

  private static boolean isTagged(Path dir) {
    Path tag = dir.resolve(CACHE_TAG);
    try {
      return Files.isRegularFile(tag, LinkOption.NOFOLLOW_LINKS)
          && Files.readString(tag, StandardCharsets.UTF_8).startsWith(CACHE_TAG_TEXT);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isOutputEntry(String name) {
    return name.equals("logs")
        || AtomicFiles.isTemporary(name)
        || OUTPUT_SUFFIXES.stream().anyMatch(name::endsWith);
  }

  private static Path checkDirectory(Path dir, String what) {
    Path abs = dir.toAbsolutePath().normalize();
    HostDirectories.refusal(abs)
        .ifPresent(
            reason -> {
              throw new IllegalArgumentException(
                  "invalid "
                      + what
                      + " '"
                      + abs
                      + "' ("
                      + reason
                      + "; expected a new or empty directory of your own)");
            });
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new IllegalArgumentException(
          "invalid "
              + what
              + " '"
              + abs
              + "' (a file, not a directory; expected a new or empty directory)");
    }
    for (Path p = abs.getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p) && !Files.isDirectory(p)) {
        throw new IllegalArgumentException(
            "invalid " + what + " '" + abs + "' (" + p + " is a file, not a directory)");
      }
    }
    return abs;
  }

  /**
   * The first entry of {@code dir} that {@code ours} does not accept; null when there is none, when
   * {@code dir} does not exist, or when it holds {@code marker}.
   */
  private static String firstStranger(
      Path dir, java.util.function.Predicate<String> ours, String marker) {
    if (!Files.isDirectory(dir)
        || marker != null && Files.exists(dir.resolve(marker), LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      // The marker counts as ours when listed too: another build may have made it since the check
      // above.
      return entries
          .map(p -> p.getFileName().toString())
          .filter(n -> !ours.test(n) && !n.equals(marker))
          .sorted()
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
  }
}
