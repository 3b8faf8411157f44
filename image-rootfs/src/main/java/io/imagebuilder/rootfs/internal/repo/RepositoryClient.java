package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.rootfs.internal.deb.XzDecoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one repository source: fetches {@code dists/<suite>/InRelease} (or Release with
 * Release.gpg when there is no InRelease), verifies it against the source's keyring, checks suite
 * and Valid-Until, then fetches each component's {@code binary-<arch>/Packages} index (xz, else
 * gz, else plain, whichever the Release lists first), checks its size and SHA256 against the
 * Release and parses it. Works over http(s) and on {@code file:} URIs (local side repositories).
 *
 * <p>Only a missing InRelease (HTTP 404 / no such file) falls back to Release + Release.gpg;
 * any other failure is an error. Nothing unverified is parsed unless the source is explicitly
 * unsigned. Thread-safe; one client can read several sources in parallel.
 */
public final class RepositoryClient {

  private static final Logger LOG = LoggerFactory.getLogger(RepositoryClient.class);
  private static final String[] INDEX_NAMES = {"Packages.xz", "Packages.gz", "Packages"};

  private final HttpClient http;
  private final Clock clock;
  private final Duration requestTimeout;
  private final IndexCache indexCache;

  /** A client with its own HttpClient, the system clock and a 5-minute request timeout. */
  public RepositoryClient() {
    this(
        Http.newClient(),
        Clock.systemUTC(),
        Duration.ofMinutes(5));
  }

  /** A client over the given HttpClient; {@code clock} decides whether a Release has expired. */
  public RepositoryClient(HttpClient http, Clock clock, Duration requestTimeout) {
    this(http, clock, requestTimeout, null);
  }

  private RepositoryClient(HttpClient http, Clock clock, Duration requestTimeout, IndexCache indexCache) {
    this.http = http;
    this.clock = clock;
    this.requestTimeout = requestTimeout;
    this.indexCache = indexCache;
  }

  /**
   * A client like this one that keeps parsed Packages indexes in {@code cache}: an index whose
   * SHA256 (as the verified Release lists it) was read before is neither downloaded nor parsed
   * again. InRelease is still fetched and verified on every {@link #fetch}.
   */
  public RepositoryClient withIndexCache(IndexCache cache) {
    return new RepositoryClient(http, clock, requestTimeout, cache);
  }

  /** Reads a source without progress reports. */
  public Repository fetch(RepositorySource source) throws RepositoryException, InterruptedException {
    return fetch(source, ProgressListener.NONE);
  }

  /**
   * Reads, verifies and parses a source.
   *
   * @throws RepositoryException naming the source and file when anything is missing, unsigned,
   *     expired, does not match the Release or does not parse
   * @throws InterruptedException when the thread is interrupted (the build is being cancelled)
   */
  public Repository fetch(RepositorySource source, ProgressListener progress)
      throws RepositoryException, InterruptedException {
    String dists = "dists/" + source.suite() + "/";
    byte[] releaseBytes;
    byte[] releaseContent;
    String signedBy = null;
    Optional<byte[]> inRelease = fetchOptional(source, dists + "InRelease", progress);
    if (inRelease.isPresent()) {
      releaseBytes = inRelease.get();
      String what = "InRelease of source '" + source.name() + "'";
      if (source.keyring() != null) {
        VerifiedContent v = SignatureVerifier.verifyClearsigned(what, releaseBytes, source.keyring());
        releaseContent = v.content();
        signedBy = v.signerFingerprint();
      } else {
        releaseContent = SignatureVerifier.unverifiedClearText(what, releaseBytes);
      }
    } else {
      releaseBytes = fetchRequired(source, dists + "Release", progress);
      releaseContent = releaseBytes;
      if (source.keyring() != null) {
        Optional<byte[]> sig = fetchOptional(source, dists + "Release.gpg", progress);
        String what = "Release of source '" + source.name() + "'";
        if (sig.isEmpty()) {
          throw new RepositoryException(
              what + " is not signed: neither " + url(source, dists + "InRelease") + " nor "
                  + url(source, dists + "Release.gpg") + " exists (keyring " + source.keyring().origin() + ")");
        }
        signedBy = SignatureVerifier.verifyDetached(what, releaseBytes, sig.get(), source.keyring())
            .signerFingerprint();
      }
    }
    ReleaseFile release = ReleaseFile.parse(source.name(), releaseContent);
    release.checkSuite(source.suite());
    if (!source.ignoreValidUntil()) {
      release.checkValidUntil(clock.instant());
    }
    release.checkCoverage(source.components(), source.architecture());

    List<PackageRecord> packages = new ArrayList<>();
    for (String component : source.components()) {
      readPackages(source, release, component, progress, packages);
    }
    Instant date = release.date().orElse(null);
    LOG.debug("read {} {}: {} packages, signed by {}", source.name(), source.describe(), packages.size(), signedBy);
    return new Repository(source, release, sha256(releaseBytes), signedBy, date, packages);
  }

  private void readPackages(
      RepositorySource source, ReleaseFile release, String component, ProgressListener progress,
      List<PackageRecord> out) throws RepositoryException, InterruptedException {
    String dir = component + "/binary-" + source.architecture() + "/";
    ReleaseFile.IndexEntry entry = null;
    for (String n : INDEX_NAMES) {
      Optional<ReleaseFile.IndexEntry> e = release.entry(dir + n);
      if (e.isPresent()) {
        entry = e.get();
        break;
      }
    }
    if (entry == null) {
      throw new RepositoryException(
          "Release of source '" + source.name() + "' lists no " + dir + "Packages index (tried .xz, .gz and plain)");
    }
    if (indexCache != null) {
      Optional<List<String[]>> cached = indexCache.load(entry.sha256());
      if (cached.isPresent()) {
        LOG.debug("{} {}: parsed index {} from the cache", source.name(), entry.path(), entry.sha256());
        toRecords(source, url(source, "dists/" + source.suite() + "/" + entry.path()), cached.get(), out);
        return;
      }
    }
    String dists = "dists/" + source.suite() + "/";
    String label = source.name() + " " + entry.path();
    byte[] data = null;
    if (release.acquireByHash()) {
      // By-hash files never change under their name: no race with a mirror update.
      data = fetchOptional(source, dists + dir + "by-hash/SHA256/" + entry.sha256(), progress, label).orElse(null);
    }
    if (data == null) {
      data = fetchRequired(source, dists + entry.path(), progress, label);
    }
    String file = url(source, dists + entry.path());
    if (data.length != entry.size()) {
      throw new RepositoryException(
          "index " + file + " of source '" + source.name() + "' has " + data.length
              + " bytes, the Release says " + entry.size());
    }
    String actual = sha256(data);
    if (!actual.equals(entry.sha256())) {
      throw new RepositoryException(
          "index " + file + " of source '" + source.name() + "' has SHA256 " + actual
              + ", the Release says " + entry.sha256());
    }
    List<String[]> stanzas = new ArrayList<>();
    try (InputStream in = decompress(entry.path(), data)) {
      PackagesScanner.scan(in, stanzas::add);
    } catch (IOException | IllegalArgumentException e) {
      throw new RepositoryException(
          "index " + file + " of source '" + source.name() + "' does not parse: " + e.getMessage(), e);
    }
    toRecords(source, file, stanzas, out);
    if (indexCache != null) {
      indexCache.store(entry.sha256(), stanzas);
    }
  }

  private static void toRecords(RepositorySource source, String file, List<String[]> stanzas, List<PackageRecord> out)
      throws RepositoryException {
    try {
      for (String[] s : stanzas) {
        out.add(PackageRecord.of(s, source.name()));
      }
    } catch (IllegalArgumentException e) {
      throw new RepositoryException(
          "index " + file + " of source '" + source.name() + "' does not parse: " + e.getMessage(), e);
    }
  }

  private static InputStream decompress(String path, byte[] data) throws IOException {
    InputStream raw = new ByteArrayInputStream(data);
    if (path.endsWith(".xz")) {
      return XzDecoder.preferHost().open(raw);
    }
    if (path.endsWith(".gz")) {
      return new GZIPInputStream(raw, 1 << 16);
    }
    return raw;
  }

  private Optional<byte[]> fetchOptional(RepositorySource source, String path, ProgressListener progress)
      throws RepositoryException, InterruptedException {
    return fetchOptional(source, path, progress, source.name() + " " + path);
  }

  private byte[] fetchRequired(RepositorySource source, String path, ProgressListener progress)
      throws RepositoryException, InterruptedException {
    return fetchRequired(source, path, progress, source.name() + " " + path);
  }

  private byte[] fetchRequired(RepositorySource source, String path, ProgressListener progress, String label)
      throws RepositoryException, InterruptedException {
    return fetchOptional(source, path, progress, label)
        .orElseThrow(() -> new RepositoryException(
            url(source, path) + " of source '" + source.name() + "' does not exist"));
  }

  /** The bytes at {@code path} under the source URI, or empty when it does not exist. */
  private Optional<byte[]> fetchOptional(
      RepositorySource source, String path, ProgressListener progress, String label)
      throws RepositoryException, InterruptedException {
    URI uri = resolve(source.uri(), path);
    try {
      if ("file".equals(uri.getScheme())) {
        Path file = Path.of(uri);
        if (!Files.isRegularFile(file)) {
          return Optional.empty();
        }
        long total = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
          return Optional.of(readAll(in, label, total, progress));
        }
      }
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        int status = response.statusCode();
        if (status == 404 || status == 410) {
          return Optional.empty();
        }
        if (status != 200) {
          throw new RepositoryException(
              uri + " of source '" + source.name() + "' answered HTTP " + status);
        }
        long total = response.headers().firstValueAsLong("content-length").orElse(-1);
        return Optional.of(readAll(in, label, total, progress));
      }
    } catch (NoSuchFileException | FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new RepositoryException(
          "cannot fetch " + uri + " of source '" + source.name() + "': " + e, e);
    }
  }

  private static byte[] readAll(InputStream in, String label, long total, ProgressListener progress)
      throws IOException, InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(total > 0 && total < Integer.MAX_VALUE ? (int) total : 1 << 16);
    byte[] buf = new byte[1 << 16];
    long done = 0;
    int n;
    progress.progress(label, 0, total);
    while ((n = in.read(buf)) > 0) {
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while fetching " + label);
      }
      out.write(buf, 0, n);
      done += n;
      progress.progress(label, done, total);
    }
    return out.toByteArray();
  }

  private static URI resolve(URI base, String path) {
    String b = base.toString();
    return URI.create(b.endsWith("/") ? b + path : b + "/" + path);
  }

  private static String url(RepositorySource source, String path) {
    return resolve(source.uri(), path).toString();
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
