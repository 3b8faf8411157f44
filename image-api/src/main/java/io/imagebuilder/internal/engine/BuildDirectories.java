package io.imagebuilder.internal.engine;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.io.AtomicFiles;
import io.imagebuilder.internal.io.DirectoryLock;
import io.imagebuilder.internal.io.OwnedDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The directories one build uses, taken before it starts and given up after it ends: the output
 * directory, checked ({@link OwnedDirectories}) and locked for the build, so a second build into it
 * fails at once instead of writing over the first one's files; the cache directory, checked and
 * tagged; and the work directory, a fresh one under {@code <cache>/work} locked by this build
 * (after the stale ones of dead builds are cleared) unless the caller gave one.
 */
public final class BuildDirectories implements AutoCloseable {
  /**
   * Clears what dead builds left under the work parent that is the executor's (mounts, processes).
   */
  public interface StaleCleaner {
    void clean(Path workParent) throws ImageBuildException;
  }

  private final Path output;
  private final Path cache;
  private final Path work;
  private final DirectoryLock outputLock;
  private final StaleWorkDirs.Owned ownedWork;

  private BuildDirectories(
      Path output, Path cache, Path work, DirectoryLock outputLock, StaleWorkDirs.Owned ownedWork) {
    this.output = output;
    this.cache = cache;
    this.work = work;
    this.outputLock = outputLock;
    this.ownedWork = ownedWork;
  }

  /**
   * Checks and takes the directories of a build.
   *
   * @param workDir the caller's work directory, or null for a fresh one under the cache
   * @throws IllegalArgumentException when the output or cache directory may not be used (the reason
   *     is in the message)
   * @throws ImageBuildException when another build holds the output directory, or a directory
   *     cannot be made
   */
  public static BuildDirectories open(
      Path outputDir, Path cacheDir, Path workDir, StaleCleaner cleaner)
      throws ImageBuildException {
    Path output = OwnedDirectories.checkOutput(outputDir);
    Path cache = OwnedDirectories.checkCache(cacheDir);
    DirectoryLock outputLock = lockOutput(output);
    try {
      OwnedDirectories.tagCache(cache);
      if (workDir != null) {
        return new BuildDirectories(output, cache, workDir.toAbsolutePath(), outputLock, null);
      }
      // <cache>/work holds only our builds' work directories, so leftovers there are ours to clear.
      Path workParent = cache.resolve("work");
      cleaner.clean(workParent);
      StaleWorkDirs.clean(workParent);
      StaleWorkDirs.Owned owned = StaleWorkDirs.create(workParent);
      return new BuildDirectories(output, cache, owned.dir(), outputLock, owned);
    } catch (IOException e) {
      outputLock.close();
      throw new ImageBuildException("cannot prepare the cache directory " + cache + ": " + e, e);
    } catch (ImageBuildException | RuntimeException e) {
      outputLock.close();
      throw e;
    }
  }

  private static DirectoryLock lockOutput(Path output) throws ImageBuildException {
    Path lockFile = output.resolve(OwnedDirectories.OUTPUT_MARKER);
    Optional<DirectoryLock> lock;
    try {
      Files.createDirectories(output);
      lock = DirectoryLock.tryAcquire(lockFile);
    } catch (IOException e) {
      throw new ImageBuildException("cannot create the output directory " + output + ": " + e, e);
    }
    if (lock.isEmpty()) {
      throw new ImageBuildException(
          "the output directory "
              + output
              + " is in use by another build ("
              + DirectoryLock.owner(lockFile)
              + " holds "
              + lockFile
              + "); wait for it to end or choose another directory");
    }
    try {
      // Only a dead writer can have left temporary files now that the directory is ours.
      AtomicFiles.deleteLeftovers(output);
      AtomicFiles.deleteLeftovers(output.resolve(StageLogs.DIR));
    } catch (IOException e) {
      lock.get().close();
      throw new ImageBuildException("cannot clear the output directory " + output + ": " + e, e);
    }
    return lock.get();
  }

  public Path outputDir() {
    return output;
  }

  public Path cacheDir() {
    return cache;
  }

  public Path workDir() {
    return work;
  }

  /** Gives the work and output directories up (the engine has deleted the work directory). */
  @Override
  public void close() {
    if (ownedWork != null) {
      ownedWork.close();
    }
    outputLock.close();
  }
}
