package io.imagebuilder.internal.engine;

import com.google.common.hash.HashingInputStream;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.event.CompletedStage;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.PlannedStage;
import io.imagebuilder.api.stage.ResolvedInput;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.io.AtomicFiles;
import io.imagebuilder.internal.io.SafeDelete;
import io.imagebuilder.internal.io.TreeCopy;
import io.imagebuilder.internal.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The results of finished builds, kept under {@code <cache>/results/<key>/}: the artifacts, the
 * files recorded beside them (manifests), the stage logs of the build that made them and {@code
 * entry.json}, which lists them with their sha256, the stages that made them and every input the
 * stages resolved. A restored result brings its logs back, so the logs beside an artifact always
 * tell how those bytes were made. The key is the plan id (which covers every stage's type and
 * options) plus the code of the stages' modules; a result is reused only while each recorded input
 * still has its digest.
 *
 * <p>An entry is written in a directory of its own and renamed into place, so another JVM sees a
 * whole entry or none; its files are hard links of the outputs where they share a filesystem, else
 * copies; a file is copied out only after its sha256 matches the entry's, so an output changed in
 * place (and with it the linked entry) is never restored.
 */
final class ResultCache {
  /** Bump when an entry's layout or meaning changes. */
  static final int FORMAT = 2;

  private static final String ENTRY = "entry.json";

  /** One cached file. */
  record CachedFile(String name, String format, long size, String sha256) {}

  /** A stage of the build that made the entry. */
  record CachedStage(String type, String id, long nanos) {}

  /** What {@code entry.json} holds. */
  record Entry(
      int format,
      String planId,
      String executor,
      List<CachedStage> stages,
      List<CachedFile> artifacts,
      List<CachedFile> outputFiles,
      List<CachedFile> logs,
      String manifestFile,
      List<ResolvedInput> inputs,
      long storedAtMillis) {}

  /** A result restored into the output directory. */
  record Restored(Engine.Outcome outcome, Entry entry) {}

  private final Path dir;

  ResultCache(Path cacheDir) {
    this.dir = cacheDir.resolve("results");
  }

  /** The entry's key: the plan id and the code that runs each stage. */
  static String key(Plan plan) {
    StringBuilder s = new StringBuilder("results " + FORMAT + "\n" + plan.id() + "\n");
    TreeSet<String> code = new TreeSet<>();
    for (PlannedStage p : plan.stages()) {
      code.add(codeVersion(p.stage().getClass()));
    }
    code.add(codeVersion(ResultCache.class));
    code.forEach(c -> s.append(c).append('\n'));
    return Sha256.ofString(s.toString());
  }

  /**
   * The jar or class directory {@code type} came from, by name, size and modification time: a
   * rebuilt library never reuses a result made by another build of it.
   */
  static String codeVersion(Class<?> type) {
    try {
      Path code = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      return code + " " + Files.size(code) + " " + Files.getLastModifiedTime(code).toMillis();
    } catch (Exception | LinkageError e) {
      return type.getName() + " unknown";
    }
  }

  /**
   * Copies the result of {@code key} into {@code outputDir} if there is one whose inputs are all
   * unchanged; empty otherwise (nothing is written then). {@code log} hears why an entry was not
   * used.
   */
  Optional<Restored> restore(
      String key,
      Path outputDir,
      InputDigests digests,
      Duration trustFor,
      java.util.function.Consumer<String> log)
      throws InterruptedException {
    Path entryDir = dir.resolve(key);
    Path entryFile = entryDir.resolve(ENTRY);
    if (!Files.isRegularFile(entryFile, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    Entry entry;
    try {
      entry = Json.mapper().readValue(Files.readAllBytes(entryFile), Entry.class);
    } catch (IOException e) {
      log.accept("stage cache: ignoring the unreadable entry " + entryFile + ": " + e.getMessage());
      return Optional.empty();
    }
    Duration age = Duration.ofMillis(System.currentTimeMillis() - entry.storedAtMillis());
    if (!trustFor.isZero() && entry.storedAtMillis() > 0 && age.compareTo(trustFor) < 0) {
      log.accept(
          "stage cache: trusting the result without checking its inputs: it is "
              + age.toMinutes()
              + " min old, younger than the "
              + trustFor.toMinutes()
              + " min this run allows");
    } else if (!digests.allUnchanged(entry.inputs(), "the cached build", log)) {
      return Optional.empty();
    }
    if (replacesOtherBytes(entry, outputDir, log)) {
      return Optional.empty();
    }
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(outputDir);
      List<Artifact> artifacts = new ArrayList<>();
      for (CachedFile f : entry.artifacts()) {
        Path target = copyOut(entryDir, f, outputDir, written);
        artifacts.add(
            new Artifact(target, OutputFormat.fromExtension(f.format()), f.size(), f.sha256()));
      }
      for (CachedFile f : entry.outputFiles()) {
        copyOut(entryDir, f, outputDir, written);
      }
      Path logs = outputDir.resolve(StageLogs.DIR);
      for (CachedFile f : entry.logs()) {
        Files.createDirectories(logs);
        copyOut(entryDir.resolve(StageLogs.DIR), f, logs, written);
      }
      List<CompletedStage> stages =
          entry.stages().stream()
              .map(s -> new CompletedStage(s.type(), s.id(), Duration.ofNanos(s.nanos())))
              .toList();
      Path manifest = entry.manifestFile() == null ? null : outputDir.resolve(entry.manifestFile());
      touch(entryDir);
      return Optional.of(
          new Restored(
              new Engine.Outcome(artifacts, stages, entry.executor(), manifest, true), entry));
    } catch (IOException | IllegalArgumentException e) {
      for (Path p : written) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort: the build goes on and writes these files anew
        }
      }
      log.accept(
          "stage cache: cannot use the entry " + entryDir + ": " + e.getMessage() + "; building");
      drop(entryDir);
      return Optional.empty();
    }
  }

  /**
   * Whether restoring would overwrite a file of the output directory that holds other bytes (say
   * another spec's image of the same name): then the build runs, and its own checks decide.
   */
  private static boolean replacesOtherBytes(
      Entry entry, Path outputDir, java.util.function.Consumer<String> log) {
    List<CachedFile> all = new ArrayList<>(entry.artifacts());
    all.addAll(entry.outputFiles());
    for (CachedFile f : all) {
      Path target = outputDir.resolve(f.name());
      try {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
            && (Files.size(target) != f.size() || !Sha256.ofFile(target).equals(f.sha256()))) {
          log.accept(
              "stage cache: " + target + " holds other bytes than the cached result's; building");
          return true;
        }
      } catch (IOException e) {
        return true;
      }
    }
    return false;
  }

  /** Copies one file out, checking its sha256 on the way; a mismatch is an IOException. */
  private static Path copyOut(Path entryDir, CachedFile f, Path outputDir, List<Path> written)
      throws IOException {
    if (f.name().contains("/") || f.name().startsWith(".")) {
      throw new IOException("invalid file name '" + f.name() + "' in the entry");
    }
    Path target = outputDir.resolve(f.name());
    try (InputStream raw =
            Files.newInputStream(entryDir.resolve(f.name()), LinkOption.NOFOLLOW_LINKS);
        HashingInputStream in = Sha256.hashing(raw)) {
      AtomicFiles.write(
          target,
          out -> {
            in.transferTo(out);
            String sha = in.hash().toString();
            if (!sha.equals(f.sha256())) {
              throw new IOException(
                  f.name() + " in the cache has sha256 " + sha + ", the entry says " + f.sha256());
            }
          });
    }
    written.add(target);
    return target;
  }

  /** Removes a damaged entry, so the next successful build stores it anew. */
  private static void drop(Path entryDir) {
    try {
      SafeDelete.deleteTree(entryDir);
    } catch (IOException ignored) {
      // left for the next build to try again
    }
  }

  /** Keeps the entry's modification time as its last use, for least-recently-used eviction. */
  private static void touch(Path entryDir) {
    try {
      Files.setLastModifiedTime(
          entryDir, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
    } catch (IOException ignored) {
      // only the eviction order suffers
    }
  }

  /**
   * Keeps a successful build's result: its artifacts and output files (linked when the cache is on
   * the same filesystem, else copied) and the entry. An entry that is already there (another build
   * of the same key) is left as it is.
   */
  void store(
      String key,
      Plan plan,
      Engine.Outcome outcome,
      List<Path> outputFiles,
      List<Path> logs,
      List<ResolvedInput> inputs)
      throws IOException {
    Path entryDir = dir.resolve(key);
    if (Files.exists(entryDir)) {
      return;
    }
    Files.createDirectories(dir);
    Path temp = Files.createTempDirectory(dir, ".new-");
    try {
      List<CachedFile> artifacts = new ArrayList<>();
      for (Artifact a : outcome.artifacts()) {
        artifacts.add(keep(a.file(), temp, a.format().extension()));
        if (!artifacts.get(artifacts.size() - 1).sha256().equals(a.sha256())) {
          throw new IOException(a.file() + " changed after the build reported it");
        }
      }
      List<CachedFile> others = new ArrayList<>();
      for (Path p : outputFiles) {
        others.add(keep(p, temp, ""));
      }
      List<CachedFile> keptLogs = new ArrayList<>();
      for (Path p : logs) {
        keptLogs.add(keep(p, Files.createDirectories(temp.resolve(StageLogs.DIR)), ""));
      }
      List<CachedStage> stages =
          outcome.stages().stream()
              .map(s -> new CachedStage(s.type(), s.id(), s.duration().toNanos()))
              .toList();
      Map<String, ResolvedInput> distinct = new LinkedHashMap<>();
      inputs.forEach(i -> distinct.put(i.kind() + " " + i.key(), i));
      Entry entry =
          new Entry(
              FORMAT,
              plan.id(),
              outcome.executorName(),
              stages,
              artifacts,
              others,
              keptLogs,
              outcome.manifestFile() == null
                  ? null
                  : outcome.manifestFile().getFileName().toString(),
              List.copyOf(distinct.values()),
              System.currentTimeMillis());
      Files.writeString(temp.resolve(ENTRY), Json.pretty(entry));
      CacheEntries.moveIntoPlace(temp, entryDir);
    } finally {
      if (Files.exists(temp)) {
        SafeDelete.deleteTree(temp);
      }
    }
  }

  private static CachedFile keep(Path file, Path into, String format) throws IOException {
    Path copy = into.resolve(file.getFileName().toString());
    // A hard link where the cache shares the output's filesystem (a disk image took 2.5 s to
    // copy): a caller who changes the artifact in place (boots a raw image) changes the entry
    // too, and restoring checks every file's sha256, refuses the entry and builds. Elsewhere a
    // copy, which cp keeps sparse.
    try {
      Files.createLink(copy, file);
    } catch (IOException | UnsupportedOperationException e) {
      try {
        TreeCopy.copyTo(file, copy);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while keeping " + file);
      }
    }
    String sha = Sha256.ofFile(copy);
    return new CachedFile(copy.getFileName().toString(), format, Files.size(copy), sha);
  }
}
