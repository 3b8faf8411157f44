package io.imagebuilder.console.retention;

import io.imagebuilder.api.BuildCache;
import io.imagebuilder.console.ConsoleSettings;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Measures what uses the disk ({@link DiskUsage}) and collects the library's cache. */
public final class DiskSpace {
  private static final Logger LOG = LoggerFactory.getLogger(DiskSpace.class);

  private final ConsoleSettings settings;
  private final RetentionSettings retention;
  private final BuildStore store;
  private final BuildFiles files;
  private final Retention rules;

  DiskSpace(
      ConsoleSettings settings,
      RetentionSettings retention,
      BuildStore store,
      BuildFiles files,
      Retention rules) {
    this.settings = settings;
    this.retention = retention;
    this.store = store;
    this.files = files;
    this.rules = rules;
  }

  /** The disk's use now. */
  public DiskUsage usage() throws IOException {
    long artifacts = 0;
    long logs = 0;
    Map<String, Long> perAccount = new TreeMap<>();
    Map<String, Long> perTrigger = new TreeMap<>();
    for (BuildView b : store.all()) {
      long a = files.artifactBytes(b.id());
      artifacts += a;
      logs += files.logBytes(b.id());
      if (a > 0) {
        perAccount.merge(String.valueOf(b.submittedBy()), a, Long::sum);
        perTrigger.merge(b.trigger() == null ? "" : b.trigger(), a, Long::sum);
      }
    }
    List<BuildCache.Area> cache =
        Files.isDirectory(settings.cacheDir())
            ? BuildCache.at(settings.cacheDir()).usage()
            : List.of();
    Path dir = Files.createDirectories(settings.dataDir());
    FileStore fs = Files.getFileStore(dir);
    return new DiskUsage(
        artifacts,
        logs,
        perAccount,
        perTrigger,
        cache,
        retention.cacheMaxBytes(),
        dir.toString(),
        fs.getUsableSpace(),
        fs.getTotalSpace(),
        rules.pending());
  }

  /** Collects the library's cache down to its cap (skipped while a build holds it). */
  public BuildCache.Collection collectCache() throws IOException {
    BuildCache.Collection c = BuildCache.at(settings.cacheDir()).collect(retention.cacheMaxBytes());
    if (c.removedEntries() > 0) {
      LOG.info(
          "cache collection removed {} entries ({} bytes)", c.removedEntries(), c.freedBytes());
    }
    return c;
  }
}
