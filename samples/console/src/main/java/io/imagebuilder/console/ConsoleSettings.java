package io.imagebuilder.console;

import io.imagebuilder.api.CacheDir;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The console's settings ({@code console.*} properties).
 *
 * @param dataDir builds (artifacts, logs, records), uploads and the web server's files; default
 *     {@code <cacheDir>/console}
 * @param cacheDir the library's package and stage cache, whose {@code index.db} is the image index;
 *     default the library's default cache directory
 * @param slots how many builds run at once
 * @param maxRequestBytes the largest build request body taken
 */
@ConfigurationProperties("console")
public record ConsoleSettings(Path dataDir, Path cacheDir, Integer slots, Long maxRequestBytes) {
  public ConsoleSettings {
    cacheDir = (cacheDir == null ? CacheDir.defaultDir() : cacheDir).toAbsolutePath().normalize();
    dataDir =
        (dataDir == null ? cacheDir.resolve("console") : dataDir).toAbsolutePath().normalize();
    slots = slots == null ? 1 : slots;
    if (slots < 1 || slots > 64) {
      throw new IllegalArgumentException(
          "invalid console.slots '" + slots + "' (expected 1 to 64 parallel builds)");
    }
    maxRequestBytes = maxRequestBytes == null ? 1024 * 1024L : maxRequestBytes;
  }

  /** Where the builds' directories are. */
  public Path buildsDir() {
    return dataDir.resolve("builds");
  }

  /** Where running builds have their work directories. */
  public Path workDir() {
    return dataDir.resolve("work");
  }

  /** Where uploads are kept while they are looked at. */
  public Path uploadsDir() {
    return dataDir.resolve("uploads");
  }

  /** The image index the builds record themselves in. */
  public Path indexFile() {
    return io.imagebuilder.manifest.api.ImageIndex.fileIn(cacheDir);
  }
}
