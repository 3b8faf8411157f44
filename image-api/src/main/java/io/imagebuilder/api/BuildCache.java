package io.imagebuilder.api;

import io.imagebuilder.internal.engine.CacheLock;
import io.imagebuilder.internal.engine.Defaults;
import io.imagebuilder.internal.io.SafeDelete;
import io.imagebuilder.internal.validate.Checks;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cache directory builds share (downloaded packages, parsed indexes, the trees after each
 * tree-building stage, finished results): how much each part holds, and least-recently-used
 * eviction down to a cap. Builds call {@link #collect} themselves after they end when the cache is
 * over {@link #DEFAULT_MAX_BYTES} (or {@code -Dimagebuilder.cache.maxBytes}); the command line's
 * {@code imagebuilder cache} shows and collects it by hand.
 *
 * <p>Eviction never races a build: every build holds the cache's lock shared while it runs, and
 * collecting takes it exclusively, skipping when a build (in any JVM) is running. Keys, the image
 * index and work directories are never evicted.
 */
public final class BuildCache {
  /** The cap builds keep the cache under by default: 20 GiB. */
  public static final long DEFAULT_MAX_BYTES = 20L << 30;

  /** The parts that are evicted, entry by entry. */
  static final List<String> EVICTABLE =
      List.of("results", "trees", "packages", "indexes", "stages");

  /**
   * The tree of a stage entry of the first layout ({@code stages/<key>/tree/}, a copied tree),
   * which no build reads any more (entries now keep one archive): a collection removes such entries
   * first, so that it does not walk their tens of thousands of files on every build until they age
   * out.
   */
  static final String FIRST_LAYOUT_TREE = "tree";

  /** How old a half-written entry must be before a collection takes it for a dead JVM's. */
  static final Duration LEFTOVER_AGE = Duration.ofHours(1);

  /**
   * One part of the cache.
   *
   * @param name its directory under the cache, e.g. {@code packages}
   * @param entries how many entries it holds
   * @param bytes their size
   */
  public record Area(String name, long entries, long bytes) {}

  /**
   * What a collection did.
   *
   * @param removedEntries how many entries were removed
   * @param freedBytes their size
   * @param bytesLeft the size of the evictable parts afterwards
   * @param skipped true when a build was running, so nothing was removed
   */
  public record Collection(long removedEntries, long freedBytes, long bytesLeft, boolean skipped) {}

  /** An entry: the files of one cached thing (a .deb and its lock, a tree and its checksum). */
  private record Entry(String area, List<Path> files, long bytes, Instant lastUsed) {}

  private final Path dir;

  private BuildCache(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /**
   * The cache in {@code dir}.
   *
   * @param dir the cache directory, as given to {@link RunConfiguration#withCacheDir}
   * @return a view of that cache; nothing is created
   */
  public static BuildCache at(Path dir) {
    return new BuildCache(Checks.notNull(dir, "cache directory"));
  }

  /**
   * The default cache ({@code $XDG_CACHE_HOME/imagebuilder} or {@code ~/.cache/imagebuilder}).
   *
   * @return a view of the default cache
   */
  public static BuildCache atDefault() {
    return new BuildCache(Defaults.cacheDir());
  }

  /**
   * The cap from {@code -Dimagebuilder.cache.maxBytes}, else {@link #DEFAULT_MAX_BYTES}.
   *
   * @return the cap in bytes
   */
  public static long configuredMaxBytes() {
    String value = System.getProperty("imagebuilder.cache.maxBytes");
    if (value == null || value.isBlank()) {
      return DEFAULT_MAX_BYTES;
    }
    try {
      long bytes = Long.parseLong(value.strip());
      if (bytes >= 0) {
        return bytes;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "invalid imagebuilder.cache.maxBytes '"
            + value
            + "' (expected a number of bytes, 0 or more)");
  }

  /**
   * The cache directory.
   *
   * @return the directory
   */
  public Path dir() {
    return dir;
  }

  /**
   * Every part of the cache with its size, the evicted ones first.
   *
   * @return one entry per part (packages, indexes, trees, results, ...), with entries and bytes
   * @throws IOException when the cache cannot be read
   */
  public List<Area> usage() throws IOException {
    Map<String, long[]> areas = new LinkedHashMap<>();
    for (Entry e : entries()) {
      long[] a = areas.computeIfAbsent(e.area(), k -> new long[2]);
      a[0]++;
      a[1] += e.bytes();
    }
    List<Area> out = new ArrayList<>();
    for (String name : EVICTABLE) {
      long[] a = areas.getOrDefault(name, new long[2]);
      out.add(new Area(name, a[0], a[1]));
    }
    for (String kept : List.of("keys", "index.db", "work")) {
      Path p = dir.resolve(kept);
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        long[] size = sizeOf(p);
        out.add(new Area(kept, size[0], size[1]));
      }
    }
    return out;
  }

  /**
   * Removes least-recently-used entries until the evictable parts hold at most {@code maxBytes},
   * the half-written entries (over an hour old) of builds that were killed and the stage entries no
   * build reads any more ({@link #FIRST_LAYOUT_TREE}); skipped (nothing removed) while a build
   * holds the cache.
   *
   * @param maxBytes the most the evictable parts may hold afterwards, in bytes
   * @return what was removed and what is left, or that it was skipped
   * @throws IOException when an entry cannot be removed
   */
  public Collection collect(long maxBytes) throws IOException {
    if (maxBytes < 0) {
      throw new IllegalArgumentException(
          "invalid cache cap " + maxBytes + " (expected 0 or more bytes)");
    }
    Optional<CacheLock> lock = CacheLock.tryExclusive(dir);
    if (lock.isEmpty()) {
      return new Collection(0, 0, total(entries()), true);
    }
    try (CacheLock held = lock.get()) {
      long[] leftovers = removeLeftovers();
      List<Entry> entries = new ArrayList<>(entries());
      long total = total(entries);
      entries.sort(Comparator.comparing(Entry::lastUsed));
      long removed = 0;
      long freed = 0;
      for (Entry e : entries) {
        if (total <= maxBytes) {
          break;
        }
        for (Path f : e.files()) {
          SafeDelete.deleteTree(f);
        }
        removed++;
        freed += e.bytes();
        total -= e.bytes();
      }
      return new Collection(removed + leftovers[0], freed + leftovers[1], total, false);
    }
  }

  /**
   * Removes the half-written entries (names starting with a dot: a download's {@code .part}, a
   * stage tree being archived) that a JVM killed while writing them left behind, and the stage
   * entries of the first layout. Only called with the exclusive lock, so no build is writing or
   * reading; the age is a margin for writers that hold no lock.
   *
   * @return {entries removed, bytes freed}
   */
  private long[] removeLeftovers() throws IOException {
    Instant before = Instant.now().minus(LEFTOVER_AGE);
    long[] out = new long[2];
    for (String area : EVICTABLE) {
      Path areaDir = dir.resolve(area);
      if (!Files.isDirectory(areaDir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      List<Path> leftovers = new ArrayList<>();
      try (DirectoryStream<Path> files = Files.newDirectoryStream(areaDir, ".*")) {
        for (Path f : files) {
          BasicFileAttributes a =
              Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (a.lastModifiedTime().toInstant().isBefore(before)) {
            leftovers.add(f);
          }
        }
      }
      if (area.equals("stages")) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(areaDir, "[0-9a-f]*")) {
          for (Path e : entries) {
            if (Files.isDirectory(e.resolve(FIRST_LAYOUT_TREE), LinkOption.NOFOLLOW_LINKS)) {
              leftovers.add(e);
            }
          }
        }
      }
      for (Path f : leftovers) {
        out[1] += sizeOf(f)[1];
        SafeDelete.deleteTree(f);
        out[0]++;
      }
    }
    return out;
  }

  private List<Entry> entries() throws IOException {
    List<Entry> out = new ArrayList<>();
    for (String area : EVICTABLE) {
      Path areaDir = dir.resolve(area);
      if (!Files.isDirectory(areaDir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Map<String, List<Path>> byKey = new LinkedHashMap<>();
      try (DirectoryStream<Path> files = Files.newDirectoryStream(areaDir)) {
        for (Path f : files) {
          String name = f.getFileName().toString();
          if (name.startsWith(".")) {
            continue; // an entry being written
          }
          int dot = name.indexOf('.');
          byKey
              .computeIfAbsent(dot > 0 ? name.substring(0, dot) : name, k -> new ArrayList<>())
              .add(f);
        }
      }
      for (List<Path> files : byKey.values()) {
        long bytes = 0;
        Instant lastUsed = Instant.EPOCH;
        for (Path f : files) {
          long[] size = sizeOf(f);
          bytes += size[1];
          BasicFileAttributes a =
              Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          // A directory's access time moves whenever it is listed (as usage() does): entries that
          // are directories (results, stage trees) mark their use in the modification time.
          Instant used =
              !a.isDirectory()
                      && a.lastAccessTime().toInstant().isAfter(a.lastModifiedTime().toInstant())
                  ? a.lastAccessTime().toInstant()
                  : a.lastModifiedTime().toInstant();
          lastUsed = used.isAfter(lastUsed) ? used : lastUsed;
        }
        out.add(new Entry(area, files, bytes, lastUsed));
      }
    }
    return out;
  }

  private static long total(List<Entry> entries) {
    return entries.stream().mapToLong(Entry::bytes).sum();
  }

  /**
   * {files, bytes} of a file or a tree, links not followed. A file with several hard links counts
   * its size divided among them (stage trees keep dpkg's hard links, and entries share large facts
   * by linking one file), so the parts add up to what the disk holds, not once per name.
   */
  private static long[] sizeOf(Path p) throws IOException {
    long[] out = new long[2];
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      out[0] = 1;
      out[1] = shareOf(p);
      return out;
    }
    try (var walk = Files.walk(p)) {
      walk.filter(f -> !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS))
          .forEach(
              f -> {
                out[0]++;
                try {
                  out[1] += shareOf(f);
                } catch (IOException e) {
                  // gone meanwhile
                }
              });
    }
    return out;
  }

  /** A file's size divided by its number of hard links. */
  private static long shareOf(Path f) throws IOException {
    Map<String, Object> a = Files.readAttributes(f, "unix:size,nlink", LinkOption.NOFOLLOW_LINKS);
    long size = ((Number) a.get("size")).longValue();
    int links = ((Number) a.get("nlink")).intValue();
    return links > 1 ? size / links : size;
  }
}
