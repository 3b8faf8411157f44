package io.imagebuilder.internal.engine;

import io.imagebuilder.api.event.CompletedStage;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.PlannedStage;
import io.imagebuilder.api.stage.ResolvedInput;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.io.SafeDelete;
import io.imagebuilder.internal.io.TreeCopy;
import io.imagebuilder.internal.json.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The root filesystem after cacheable stages of a build (those that end enough work to be worth a
 * copy: {@link Engine.Settings#KEEP_TREE_AFTER}), kept under {@code
 * <cache>/stages/<chain>-<inputs>/}: {@code tree.tar} (the tree in one archive, {@link
 * TreeCopy#archive}: one file to write, list and delete instead of tens of thousands), {@code
 * entry.json} (the stages that made it with their durations, the inputs they resolved, the
 * context's facts as a {@link FactSnapshot} and SOURCE_DATE_EPOCH) and {@code facts/}, the large
 * facts, each once on disk: an entry hard-links the file of an earlier entry with the same value.
 *
 * <p>{@code <chain>} is a sha256 over the ids of every stage up to and including this one with the
 * code that runs each (a stage id already covers its type and options; the chain makes stage N's
 * entry depend on every stage before it), {@code <inputs>} a sha256 over the inputs those stages
 * resolved (the InRelease hashes the bootstrap verified, a base image's sha256). Inputs are known
 * only once the stages ran, so a lookup lists the entries of a chain and uses one whose every input
 * still has its digest; an entry whose inputs moved on is never used again and ages out.
 *
 * <p>A stage is cacheable when it builds the tree: its phase comes before {@link Phase#ASSEMBLE}
 * (bootstrap, sources, packages, board, customise, finalise) and it produces no artifact format.
 * Assemble and record stages write artifacts beside the tree, which a restored tree would not bring
 * back; the whole result of a build is kept by {@link ResultCache}. The cacheable stages are a
 * leading run of the plan: the first stage that is not cacheable ends it, and the engine also ends
 * it when a stage added an artifact or output file anyway.
 *
 * <p>An entry is written in a directory of its own and renamed into place, so another JVM sees a
 * whole entry or none. Entries count against the cache's size cap ({@code BuildCache}) and are
 * evicted least recently used; a use touches the entry.
 */
final class StageSnapshots {
  /** Bump when an entry's layout or meaning changes. */
  static final int FORMAT = 2;

  static final String AREA = "stages";

  private static final String ENTRY = "entry.json";
  private static final String TREE = "tree.tar";
  private static final String FACTS = "facts";

  /** A stage that made the tree. */
  record CachedStage(String type, String id, long nanos) {}

  /** What {@code entry.json} holds. */
  record Entry(
      int format,
      List<CachedStage> stages,
      List<ResolvedInput> inputs,
      FactSnapshot facts,
      Long sourceDateEpoch) {
    Entry {
      stages = List.copyOf(stages);
      inputs = List.copyOf(inputs);
    }
  }

  /** The entry of the first {@code count} stages of a plan, found in {@code dir}. */
  record Found(int count, Path dir, Entry entry) {}

  private final Path dir;

  StageSnapshots(Path cacheDir) {
    this.dir = cacheDir.resolve(AREA);
  }

  /** Whether the tree after {@code stage} is kept: it builds the tree, writes no artifact. */
  static boolean cacheable(Stage stage) {
    return stage.phase().compareTo(Phase.ASSEMBLE) < 0 && stage.produces().isEmpty();
  }

  /**
   * The chain key of each leading cacheable stage of {@code stages}: element i names stages 0 to i.
   * Stops at the first stage that is not cacheable.
   */
  static List<String> chainKeys(List<PlannedStage> stages) {
    List<String> keys = new ArrayList<>();
    StringBuilder chain =
        new StringBuilder(
            "stages " + FORMAT + " " + ResultCache.codeVersion(StageSnapshots.class) + "\n");
    for (PlannedStage p : stages) {
      if (!cacheable(p.stage())) {
        break;
      }
      chain
          .append(p.id())
          .append(' ')
          .append(ResultCache.codeVersion(p.stage().getClass()))
          .append('\n');
      keys.add(Sha256.ofString(chain.toString()));
    }
    return keys;
  }

  /** The digest of a list of inputs, independent of their order and repeats. */
  static String inputsKey(List<ResolvedInput> inputs) {
    return Sha256.ofString(
        String.join(
            "\n",
            distinct(inputs).stream()
                .map(i -> i.kind() + " " + i.key() + " " + i.digest())
                .sorted()
                .toList()));
  }

  private static List<ResolvedInput> distinct(List<ResolvedInput> inputs) {
    Map<String, ResolvedInput> byId = new LinkedHashMap<>();
    inputs.forEach(i -> byId.put(i.kind() + " " + i.key() + " " + i.digest(), i));
    return List.copyOf(byId.values());
  }

  /**
   * The longest leading run of {@code stages} with an entry whose inputs all still have their
   * digests; empty when there is none. {@code log} hears why an entry was passed over.
   */
  Optional<Found> longestPrefix(
      List<PlannedStage> stages, InputDigests digests, Consumer<String> log)
      throws InterruptedException {
    List<String> keys = chainKeys(stages);
    for (int i = keys.size() - 1; i >= 0; i--) {
      for (Path candidate : entriesOf(keys.get(i))) {
        Optional<Entry> entry = read(candidate, log);
        if (entry.isEmpty() || !sameStages(entry.get(), stages.subList(0, i + 1))) {
          continue;
        }
        if (digests.allUnchanged(entry.get().inputs(), "stage " + (i + 1) + " was cached", log)) {
          return Optional.of(new Found(i + 1, candidate, entry.get()));
        }
      }
    }
    return Optional.empty();
  }

  /** The entries of a chain key, the most recently used first. */
  private List<Path> entriesOf(String chainKey) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, chainKey + "-*")) {
      found.forEach(out::add);
    } catch (IOException e) {
      return List.of();
    }
    out.sort(Comparator.comparing(StageSnapshots::lastModified).reversed());
    return out;
  }

  private static FileTime lastModified(Path p) {
    try {
      return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static Optional<Entry> read(Path entryDir, Consumer<String> log) {
    Path file = entryDir.resolve(ENTRY);
    try {
      Entry entry = Json.mapper().readValue(Files.readAllBytes(file), Entry.class);
      if (entry.format() != FORMAT
          || !Files.isRegularFile(entryDir.resolve(TREE), LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      return Optional.of(entry);
    } catch (IOException | RuntimeException e) {
      log.accept("stage cache: ignoring the unreadable entry " + entryDir + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private static boolean sameStages(Entry entry, List<PlannedStage> prefix) {
    if (entry.stages().size() != prefix.size()) {
      return false;
    }
    for (int i = 0; i < prefix.size(); i++) {
      if (!entry.stages().get(i).id().equals(prefix.get(i).id())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Extracts the entry's tree into the empty {@code rootfs} and marks the entry used. On failure
   * {@code rootfs} may hold part of the tree: the caller empties it.
   */
  void restore(Found found, Path rootfs) throws IOException, InterruptedException {
    TreeCopy.extractInto(found.dir().resolve(TREE), rootfs);
    touch(found.dir());
  }

  /** The stages of an entry as the build reports them. */
  static List<CompletedStage> completed(Entry entry) {
    return entry.stages().stream()
        .map(s -> new CompletedStage(s.type(), s.id(), Duration.ofNanos(s.nanos())))
        .toList();
  }

  /** Whether there is an entry for these stages with exactly these inputs. */
  boolean has(String chainKey, List<ResolvedInput> inputs) {
    Path entryDir = dir.resolve(chainKey + "-" + inputsKey(inputs));
    if (Files.isRegularFile(entryDir.resolve(ENTRY), LinkOption.NOFOLLOW_LINKS)) {
      touch(entryDir);
      return true;
    }
    return false;
  }

  /**
   * Keeps {@code rootfs} as the tree after {@code stages} (no mount may be inside: the caller
   * released the executor). An entry already there (another build of the same stages and inputs) is
   * left as it is.
   */
  void store(
      String chainKey,
      List<CompletedStage> stages,
      Path rootfs,
      FactSnapshot facts,
      List<ResolvedInput> inputs,
      Long sourceDateEpoch)
      throws IOException, InterruptedException {
    Path entryDir = dir.resolve(chainKey + "-" + inputsKey(inputs));
    if (Files.exists(entryDir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.createDirectories(dir);
    Path temp = Files.createTempDirectory(dir, ".new-");
    try {
      TreeCopy.archive(rootfs, temp.resolve(TREE));
      Entry entry =
          new Entry(
              FORMAT,
              stages.stream()
                  .map(s -> new CachedStage(s.type(), s.id(), s.duration().toNanos()))
                  .toList(),
              distinct(inputs),
              facts.keptIn(temp.resolve(FACTS), this::factFile),
              sourceDateEpoch);
      Files.writeString(temp.resolve(ENTRY), Json.pretty(entry));
      CacheEntries.moveIntoPlace(temp, entryDir);
    } finally {
      if (Files.exists(temp, LinkOption.NOFOLLOW_LINKS)) {
        SafeDelete.deleteTree(temp);
      }
    }
  }

  /** The facts directory of an entry (large facts, each in a file named by its sha256). */
  static Path factsDir(Path entryDir) {
    return entryDir.resolve(FACTS);
  }

  /**
   * A whole entry's file of the fact with this sha256, to link instead of writing it again: the
   * facts of the stages after the bootstrap mostly repeat the bootstrap's.
   */
  private Optional<Path> factFile(String sha256) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "[0-9a-f]*")) {
      for (Path entry : entries) {
        Path file = entry.resolve(FACTS).resolve(sha256 + ".json");
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
          return Optional.of(file);
        }
      }
    } catch (IOException e) {
      // none to link: the caller writes the file
    }
    return Optional.empty();
  }

  /** Keeps the entry's modification time as its last use, for least-recently-used eviction. */
  private static void touch(Path entryDir) {
    try {
      Files.setLastModifiedTime(entryDir, FileTime.from(Instant.now()));
    } catch (IOException ignored) {
      // only the eviction order suffers
    }
  }
}
