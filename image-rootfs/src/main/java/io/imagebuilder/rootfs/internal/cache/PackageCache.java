package io.imagebuilder.rootfs.internal.cache;

import com.google.common.hash.Hasher;
import com.google.common.util.concurrent.Striped;
import io.imagebuilder.api.error.BuildCancelledException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.concurrent.TaskPool;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.io.AtomicFiles;
import io.imagebuilder.internal.log.Logs;
import io.imagebuilder.rootfs.internal.repo.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Lock;
import java.util.function.LongConsumer;
import org.slf4j.Logger;

/**
 * A content-addressed store of downloaded files, shared safely by threads and by JVMs.
 *
 * <p>An entry is the file {@code <dir>/<sha256>}. It only ever appears there by an atomic rename of
 * a temporary file that was verified (size and SHA-256) while it was written. A cached entry is
 * nevertheless verified again each time it is reused: hashing a .deb costs far less than
 * downloading it, and it catches a file damaged on disk or edited by hand, which is then fetched
 * anew.
 *
 * <p>Writers of one entry are serialised by a lock held on {@code <sha256>.lock} (a POSIX record
 * lock, taken by polling {@link FileChannel#tryLock()}: the kernel drops it when its JVM dies, so a
 * lock file left by a killed build never blocks the next) and, inside one JVM, by an in-memory lock
 * (POSIX locks are per process). Temporary files are {@link AtomicFiles}' ({@code
 * .<sha256>.<random>.part}); the holder of the entry's lock deletes any it finds for that entry,
 * since only a dead writer can have left them.
 */
public final class PackageCache {
  private static final Logger LOG = Logs.get(PackageCache.class);
  private static final Striped<Lock> JVM_LOCKS = Striped.lazyWeakLock(1024);
  private static final int ATTEMPTS = 3;
  private static final int BUFFER = 256 * 1024;

  private final Path dir;
  private final HttpClient http;
  private final Duration silence;

  /** A cache in {@code dir} (created if missing) with a default HTTP client. */
  public PackageCache(Path dir) {
    this(dir, Http.newClient());
  }

  /** A cache in {@code dir} (created if missing) that downloads with {@code http}. */
  public PackageCache(Path dir, HttpClient http) {
    this(dir, http, Http.silence());
  }

  /**
   * A cache in {@code dir} that downloads with {@code http}; a download that receives nothing for
   * {@code silence} (headers or body) fails at once, without another attempt.
   */
  public PackageCache(Path dir, HttpClient http, Duration silence) {
    this.dir = dir.toAbsolutePath().normalize();
    this.http = http;
    this.silence = silence;
  }

  /** The directory holding the entries. */
  public Path directory() {
    return dir;
  }

  /**
   * Returns the cached file for {@code sha256} if it is present and intact.
   *
   * @param size the expected size, or -1 if unknown
   */
  public Optional<Path> lookup(String sha256, long size) throws ImageBuildException {
    Download d = new Download(URI.create("file:///"), sha256, size);
    Path entry = dir.resolve(d.sha256());
    try {
      return isIntact(entry, d) ? Optional.of(entry) : Optional.empty();
    } catch (IOException e) {
      throw new ImageBuildException("cannot read cache entry " + entry + ": " + e.getMessage(), e);
    }
  }

  /**
   * Returns the cached file with this hash, downloading it first if it is missing or damaged.
   *
   * @throws DownloadFailedException naming the URI if it cannot be fetched or does not match
   */
  public Path fetch(URI uri, String sha256, long size) throws ImageBuildException {
    return fetch(new Download(uri, sha256, size), n -> {});
  }

  /**
   * Fetches all {@code downloads} with up to {@code parallelism} at a time and returns their cached
   * files in the same order. Duplicate hashes are fetched once. The first failure cancels the
   * others and is thrown.
   */
  public List<Path> fetchAll(List<Download> downloads, int parallelism, ProgressCallback progress)
      throws ImageBuildException {
    if (parallelism < 1) {
      throw new IllegalArgumentException("invalid parallelism " + parallelism + " (expected >= 1)");
    }
    Map<String, Download> unique = new LinkedHashMap<>();
    for (Download d : downloads) {
      Download other = unique.putIfAbsent(d.sha256(), d);
      if (other != null && other.size() != d.size() && other.size() >= 0 && d.size() >= 0) {
        throw new IllegalArgumentException(
            "sha256 " + d.sha256() + " given with sizes " + other.size() + " and " + d.size());
      }
    }
    long total = 0;
    for (Download d : unique.values()) {
      total = d.size() < 0 || total < 0 ? -1 : total + d.size();
    }
    Reporter reporter = new Reporter(progress, total);
    Map<String, Path> done = new LinkedHashMap<>();
    int threads = Math.min(parallelism, Math.max(1, unique.size()));
    // closing waits a little for the downloads a failure or a cancel interrupted, so none still
    // writes when the call returns (each removes its partial file as it stops)
    try (TaskPool pool = TaskPool.of("download", threads, Duration.ofSeconds(10))) {
      ExecutorCompletionService<Map.Entry<String, Path>> completion =
          new ExecutorCompletionService<>(pool.executor());
      List<Future<?>> futures = new ArrayList<>();
      for (Download d : unique.values()) {
        futures.add(completion.submit(() -> Map.entry(d.sha256(), fetch(d, reporter::add))));
      }
      for (int i = 0; i < futures.size(); i++) {
        Map.Entry<String, Path> result = completion.take().get();
        done.put(result.getKey(), result.getValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildCancelledException("download interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ImageBuildException) {
        throw (ImageBuildException) cause;
      }
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new ImageBuildException("download failed: " + cause, cause);
    }
    reporter.finish();
    List<Path> paths = new ArrayList<>(downloads.size());
    for (Download d : downloads) {
      paths.add(done.get(d.sha256()));
    }
    return paths;
  }

  private Path fetch(Download d, LongConsumer bytes) throws ImageBuildException {
    Path entry = dir.resolve(d.sha256());
    try {
      Files.createDirectories(dir);
      if (isIntact(entry, d)) {
        bytes.accept(Math.max(0, d.size()));
        return entry;
      }
      Lock jvmLock = JVM_LOCKS.get(entry.toString());
      jvmLock.lockInterruptibly();
      try (FileChannel lockFile =
              FileChannel.open(
                  dir.resolve(d.sha256() + ".lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock ignored = lockPolling(lockFile)) {
        // Another thread or JVM may have completed it while we waited for the lock.
        if (isIntact(entry, d)) {
          bytes.accept(Math.max(0, d.size()));
          return entry;
        }
        if (Files.deleteIfExists(entry)) {
          LOG.warn("cache entry {} did not match its hash; fetching it again", entry);
        }
        deleteStaleParts(d.sha256());
        return downloadWithRetries(d, entry, bytes);
      } finally {
        jvmLock.unlock();
      }
    } catch (InterruptedException | InterruptedIOException e) {
      Thread.currentThread().interrupt();
      throw new BuildCancelledException("download of " + d.uri() + " interrupted", e);
    } catch (java.nio.channels.ClosedByInterruptException e) {
      throw new BuildCancelledException("download of " + d.uri() + " interrupted", e);
    } catch (IOException e) {
      throw new DownloadFailedException(
          "cannot store " + d.uri() + " in the package cache " + dir + ": " + e, e);
    }
  }

  /**
   * Waits for an entry's record lock by polling: a blocking {@link FileChannel#lock()} fails with
   * "Resource deadlock avoided" (EDEADLK) when two JVMs share the cache, since the kernel judges
   * POSIX locks per process and sees a cycle where two download threads of each JVM hold and wait
   * for locks of different entries.
   */
  private static FileLock lockPolling(FileChannel channel)
      throws IOException, InterruptedException {
    for (; ; ) {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return lock;
      }
      Thread.sleep(20);
    }
  }

  private Path downloadWithRetries(Download d, Path entry, LongConsumer bytes)
      throws IOException, InterruptedException, DownloadFailedException {
    for (int attempt = 1; ; attempt++) {
      Path part = AtomicFiles.createTemporary(entry);
      long counted = 0;
      CountingConsumer counter = new CountingConsumer(bytes);
      try {
        copyVerified(d, part, counter);
        AtomicFiles.commit(part, entry);
        return entry;
      } catch (TransientException e) {
        counted = counter.count;
        if (attempt >= ATTEMPTS) {
          throw new DownloadFailedException(
              "cannot download " + d.uri() + " after " + ATTEMPTS + " attempts: " + e.getMessage(),
              e.getCause() == null ? e : e.getCause());
        }
        LOG.info(
            "attempt {} to download {} failed ({}); retrying",
            attempt,
            io.imagebuilder.internal.validate.Secrets.redact(d.uri()),
            e.getMessage());
        bytes.accept(-counted);
        Thread.sleep(500L * attempt);
      } finally {
        Files.deleteIfExists(part);
      }
    }
  }

  /** Streams the source into {@code part}, checking size and hash, and flushes it to disk. */
  private void copyVerified(Download d, Path part, CountingConsumer counter)
      throws IOException, InterruptedException, DownloadFailedException, TransientException {
    Hasher sha = Sha256.hasher();
    try (InputStream in = open(d);
        FileChannel out = FileChannel.open(part, StandardOpenOption.WRITE);
        OutputStream os = java.nio.channels.Channels.newOutputStream(out)) {
      byte[] buf = new byte[BUFFER];
      long total = 0;
      int n;
      try {
        while ((n = in.read(buf)) > 0) {
          total += n;
          if (d.size() >= 0 && total > d.size()) {
            throw new DownloadFailedException(
                "size mismatch for " + d.uri() + ": expected " + d.size() + " bytes, got more");
          }
          sha.putBytes(buf, 0, n);
          os.write(buf, 0, n);
          counter.accept(n);
        }
      } catch (InterruptedIOException e) {
        throw e;
      } catch (HttpTimeoutException e) {
        // A mirror that went silent fails within the limit; retries would multiply it.
        throw new DownloadFailedException("cannot download " + d.uri() + ": " + e.getMessage(), e);
      } catch (IOException e) {
        if (d.uri().getScheme().equalsIgnoreCase("file")) {
          throw e;
        }
        throw new TransientException("read failed: " + e, e);
      }
      if (d.size() >= 0 && total != d.size()) {
        throw new DownloadFailedException(
            "size mismatch for " + d.uri() + ": expected " + d.size() + " bytes, got " + total);
      }
      String actual = sha.hash().toString();
      if (!actual.equals(d.sha256())) {
        throw new DownloadFailedException(
            "sha256 mismatch for " + d.uri() + ": expected " + d.sha256() + ", got " + actual);
      }
      out.force(false);
    }
  }

  private InputStream open(Download d)
      throws IOException, InterruptedException, DownloadFailedException, TransientException {
    if (d.uri().getScheme().equalsIgnoreCase("file")) {
      try {
        return Files.newInputStream(Path.of(d.uri()));
      } catch (NoSuchFileException e) {
        throw new DownloadFailedException("cannot read " + d.uri() + ": no such file", e);
      }
    }
    HttpResponse<InputStream> response;
    try {
      response = Http.get(http, d.uri(), null, silence);
    } catch (InterruptedIOException e) {
      throw e;
    } catch (HttpTimeoutException e) {
      throw new DownloadFailedException("cannot download " + d.uri() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new TransientException(Http.describe(d.uri(), e), e);
    }
    int status = response.statusCode();
    if (status == 200) {
      return response.body();
    }
    response.body().close();
    String message = Http.status(response) + " for " + d.uri();
    if (status == 408 || status == 429 || status >= 500) {
      throw new TransientException(message, null);
    }
    throw new DownloadFailedException("cannot download " + d.uri() + ": " + Http.status(response));
  }

  private void deleteStaleParts(String sha256) throws IOException {
    try (DirectoryStream<Path> parts =
        Files.newDirectoryStream(dir, "." + sha256 + ".*" + AtomicFiles.PART_SUFFIX)) {
      for (Path part : parts) {
        LOG.debug("deleting {} left by an interrupted download", part);
        Files.deleteIfExists(part);
      }
    }
  }

  private static boolean isIntact(Path entry, Download d) throws IOException {
    if (!Files.isRegularFile(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (d.size() >= 0 && Files.size(entry) != d.size()) {
      return false;
    }
    try {
      return Sha256.ofFile(entry).equals(d.sha256());
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** A failure worth another attempt: connection problems, 408, 429 and 5xx answers. */
  private static final class TransientException extends Exception {
    private static final long serialVersionUID = 1L;

    TransientException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final class CountingConsumer implements LongConsumer {
    private final LongConsumer delegate;
    private long count;

    CountingConsumer(LongConsumer delegate) {
      this.delegate = delegate;
    }

    @Override
    public void accept(long n) {
      count += n;
      delegate.accept(n);
    }
  }

  /** Sums bytes from all threads and reports at most every 512 KiB, plus the end. */
  private static final class Reporter {
    private static final long STEP = 512 * 1024;
    private final ProgressCallback callback;
    private final long total;
    private long done;
    private long reported;

    Reporter(ProgressCallback callback, long total) {
      this.callback = callback;
      this.total = total;
    }

    synchronized void add(long n) {
      done += n;
      if (done - reported >= STEP) {
        reported = done;
        callback.progress(done, total);
      }
    }

    synchronized void finish() {
      callback.progress(total < 0 ? done : total, total);
    }
  }
}
