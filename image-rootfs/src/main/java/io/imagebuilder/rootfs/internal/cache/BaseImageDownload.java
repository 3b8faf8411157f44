package io.imagebuilder.rootfs.internal.cache;

import io.imagebuilder.api.error.BuildCancelledException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.validate.Checks;
import io.imagebuilder.internal.validate.Secrets;
import io.imagebuilder.rootfs.internal.repo.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a base image named by an http(s) URL into the cache, content-addressed: {@code
 * <dir>/<sha256>}. With the sha256 the spec gives (the {@code #sha256=} fragment a request's {@code
 * image_sha256} becomes) a cached copy is used without a download, and a download whose bytes
 * differ is refused; without it, the image is fetched every time and kept under the sha256 it had.
 * A download is refused as soon as it passes the size cap (by Content-Length, else while reading).
 * Written through a unique {@code .part} file and renamed, so no reader sees half a file.
 */
public final class BaseImageDownload {
  /** Default cap: a compressed rootfs of a real system is well under this. */
  public static final long DEFAULT_MAX_BYTES = 8L << 30;

  private static final Pattern FRAGMENT =
      Pattern.compile("(?i)(https?://[^#]+)(?:#sha256=([0-9a-f]{64}))?");
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

  private final Path dir;
  private final long maxBytes;
  private final HttpClient http;

  /**
   * @param dir the cache directory of base images
   * @param maxBytes the most bytes one download may have
   */
  public BaseImageDownload(Path dir, long maxBytes) {
    this(dir, maxBytes, Http.newClient());
  }

  BaseImageDownload(Path dir, long maxBytes, HttpClient http) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException(
          "invalid size cap " + maxBytes + " (expected a byte count > 0)");
    }
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.http = http;
  }

  /**
   * A base image reference: the URL to fetch and the sha256 it must have, if given.
   *
   * @param url what is fetched (without the fragment)
   * @param sha256 64 hex digits, or null
   */
  public record Reference(URI url, String sha256) {
    /** Whether {@code value} is an http(s) URL (with or without a {@code #sha256=} fragment). */
    public static boolean isUrl(String value) {
      return value != null && value.matches("(?i)https?://.*");
    }

    /**
     * Reads {@code https://host/base.tar.zst} or {@code https://host/base.tar.zst#sha256=HEX}.
     *
     * @throws IllegalArgumentException naming the value when it is neither
     */
    public static Reference parse(String value) {
      Matcher m = value == null ? null : FRAGMENT.matcher(value);
      if (m == null || !m.matches()) {
        throw new IllegalArgumentException(
            "invalid base image URL '"
                + Checks.excerpt(Secrets.redact(value))
                + "' (expected http(s)://HOST/PATH,"
                + " optionally with #sha256= and 64 lower-case hex digits)");
      }
      URI url;
      try {
        url = URI.create(m.group(1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "invalid base image URL '"
                + Checks.excerpt(Secrets.redact(value))
                + "' ("
                + Secrets.redact(e.getMessage())
                + ")",
            e);
      }
      return new Reference(url, m.group(2));
    }
  }

  /** The cached copy of {@code sha256}, if there is one whose bytes still have that hash. */
  public Optional<Path> cached(String sha256) throws ImageBuildException {
    Path file = dir.resolve(sha256);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (InputStream in = Files.newInputStream(file)) {
      if (sha256(in).equals(sha256)) {
        return Optional.of(file);
      }
      Files.deleteIfExists(file); // damaged: fetch it again
      return Optional.empty();
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot read the cached base image " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The file of {@code ref}: from the cache when its sha256 is given and cached, else downloaded.
   *
   * @throws ImageBuildException naming the URL (password masked) when the download fails, passes
   *     the cap or has another sha256 than the reference gives
   */
  public Path fetch(Reference ref, ProgressCallback progress) throws ImageBuildException {
    if (ref.sha256() != null) {
      Optional<Path> hit = cached(ref.sha256());
      if (hit.isPresent()) {
        return hit.get();
      }
    }
    String shown = Secrets.redact(ref.url().toString());
    Path part = dir.resolve("." + UUID.randomUUID() + ".part");
    try {
      Files.createDirectories(dir);
      HttpRequest request =
          HttpRequest.newBuilder(ref.url()).timeout(REQUEST_TIMEOUT).GET().build();
      HttpResponse<InputStream> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedIOException e) {
        throw new BuildCancelledException("download of base image " + shown + " interrupted", e);
      } catch (IOException e) {
        throw new DownloadFailedException(
            "cannot download base image " + shown + ": " + Http.describe(ref.url(), e), e);
      }
      String actual;
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new DownloadFailedException(
              "cannot download base image " + shown + ": " + Http.status(response));
        }
        long length = response.headers().firstValueAsLong("content-length").orElse(-1);
        if (length > maxBytes) {
          throw new DownloadFailedException(
              "base image "
                  + shown
                  + " has "
                  + length
                  + " bytes (Content-Length), more than the cap of "
                  + maxBytes
                  + " bytes");
        }
        actual = copyCapped(body, part, shown, length, progress);
      }
      if (ref.sha256() != null && !actual.equals(ref.sha256())) {
        throw new DownloadFailedException(
            "base image "
                + shown
                + " has sha256 "
                + actual
                + " (expected "
                + ref.sha256()
                + ", as the request or the lock gives)");
      }
      Path file = dir.resolve(actual);
      try {
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return file;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildCancelledException("download of base image " + shown + " interrupted", e);
    } catch (IOException e) {
      throw new DownloadFailedException(
          "cannot store base image " + shown + " in " + dir + ": " + e, e);
    } finally {
      try {
        Files.deleteIfExists(part);
      } catch (IOException ignored) {
        // a stray .part in the cache is harmless: it never has a final name
      }
    }
  }

  /** Copies at most {@link #maxBytes} to {@code part}; returns the sha256 of what was copied. */
  private String copyCapped(
      InputStream in, Path part, String shown, long total, ProgressCallback progress)
      throws IOException, InterruptedException, DownloadFailedException {
    com.google.common.hash.Hasher md = Sha256.hasher();
    byte[] buf = new byte[1 << 16];
    long done = 0;
    try (OutputStream out = Files.newOutputStream(part)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        done += n;
        if (done > maxBytes) {
          throw new DownloadFailedException(
              "base image "
                  + shown
                  + " is larger than the cap of "
                  + maxBytes
                  + " bytes (stopped reading there)");
        }
        md.putBytes(buf, 0, n);
        out.write(buf, 0, n);
        progress.progress(done, total);
      }
    }
    return md.hash().toString();
  }

  private static String sha256(InputStream in) throws IOException {
    return Sha256.ofStream(in);
  }
}
