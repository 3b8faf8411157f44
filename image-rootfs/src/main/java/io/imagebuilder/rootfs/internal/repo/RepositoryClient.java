package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.api.error.RepositoryVerificationException;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.log.Logs;
import io.imagebuilder.internal.validate.Secrets;
import io.imagebuilder.rootfs.internal.deb.XzDecoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;

/**
 * Reads one repository source: fetches {@code dists/<suite>/InRelease} (or Release with Release.gpg
 * when there is no InRelease), verifies it against the source's keyring, checks suite and
 * Valid-Until, then fetches each component's {@code binary-<arch>/Packages} index (xz, else gz,
 * else plain, whichever the Release lists first), checks its size and SHA256 against the Release
 * and parses it. Works over http(s) and on {@code file:} URIs (local side repositories).
 *
 * <p>Only a missing InRelease (HTTP 404 / no such file) falls back to Release + Release.gpg; any
 * other failure is an error. Nothing unverified is parsed unless the source is explicitly unsigned.
 * Thread-safe; one client can read several sources in parallel.
 */
public final class RepositoryClient {

  private static final Logger LOG = Logs.get(RepositoryClient.class);

  private final HttpClient http;
  private final Clock clock;
  private final Duration requestTimeout;
  private final IndexCache indexCache;

  /**
   * A client with its own HttpClient, the system clock and the host's limit of silence ({@link
   * Http#SILENCE}).
   */
  public RepositoryClient() {
    this(Http.newClient(), Clock.systemUTC(), Http.silence());
  }

  /**
   * A client over the given HttpClient; {@code clock} decides whether a Release has expired; a
   * download that receives nothing for {@code requestTimeout} (headers or body) fails.
   */
  public RepositoryClient(HttpClient http, Clock clock, Duration requestTimeout) {
    this(http, clock, requestTimeout, null);
  }

  private RepositoryClient(
      HttpClient http, Clock clock, Duration requestTimeout, IndexCache indexCache) {
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
  public Repository fetch(RepositorySource source)
      throws RepositoryException, RepositoryVerificationException, InterruptedException {
    return fetch(source, ProgressListener.NONE);
  }

  /**
   * Reads, verifies and parses a source.
   *
   * @throws RepositoryVerificationException naming the source and file when the Release is
   *     unsigned, badly signed, expired, for another suite, or an index does not match it
   * @throws RepositoryException when a file is missing or does not parse ({@link
   *     RepositoryFetchException} when a file could not be fetched at all)
   * @throws InterruptedException when the thread is interrupted (the build is being cancelled)
   */
  public Repository fetch(RepositorySource source, ProgressListener progress)
      throws RepositoryException, RepositoryVerificationException, InterruptedException {
    SignedRelease signed = fetchRelease(source, progress);
    ReleaseFile release = signed.release();
    release.checkCoverage(source.components(), source.architecture());

    List<PackageRecord> packages = new ArrayList<>();
    for (String component : source.components()) {
      readPackages(source, release, component, progress, packages);
    }
    Instant date = release.date().orElse(null);
    LOG.debug(
        "read {} {}: {} packages, signed by {}",
        source.name(),
        source.describe(),
        packages.size(),
        signed.signedBy());
    return new Repository(source, release, signed.sha256(), signed.signedBy(), date, packages);
  }

  /**
   * Fetches {@code dists/<suite>/InRelease} (or Release with Release.gpg when there is no
   * InRelease), verifies it against the source's keyring unless the source is explicitly unsigned,
   * and checks its suite, Valid-Until and that its Date is not in the future (both skipped for a
   * source that ignores Valid-Until). For an unsigned source without InRelease, a Release.gpg the
   * archive has is fetched too, unchecked.
   *
   * @throws RepositoryVerificationException naming the source and file when the Release is
   *     unsigned, badly signed, for another suite or expired
   * @throws RepositoryException when the Release is missing or cannot be fetched
   */
  public SignedRelease fetchRelease(RepositorySource source, ProgressListener progress)
      throws RepositoryException, RepositoryVerificationException, InterruptedException {
    String dists = "dists/" + source.suite() + "/";
    SignedRelease signed;
    Optional<byte[]> inRelease = fetchOptional(source, dists + "InRelease", progress);
    if (inRelease.isPresent()) {
      byte[] bytes = inRelease.get();
      String what = "InRelease of source '" + source.name() + "'";
      String signedBy = null;
      byte[] content;
      if (source.keyring() != null) {
        VerifiedContent v = SignatureVerifier.verifyClearsigned(what, bytes, source.keyring());
        content = v.content();
        signedBy = v.signerFingerprint();
      } else {
        content = SignatureVerifier.unverifiedClearText(what, bytes);
      }
      signed =
          new SignedRelease(
              "InRelease", bytes, null, ReleaseFile.parse(source.name(), content), signedBy);
    } else {
      byte[] bytes = fetchRequired(source, dists + "Release", progress);
      Optional<byte[]> sig = fetchOptional(source, dists + "Release.gpg", progress);
      String signedBy = null;
      if (source.keyring() != null) {
        String what = "Release of source '" + source.name() + "'";
        if (sig.isEmpty()) {
          throw new RepositoryVerificationException(
              what,
              RepositoryVerificationException.Reason.NOT_SIGNED,
              what
                  + " is not signed: neither "
                  + url(source, dists + "InRelease")
                  + " nor "
                  + url(source, dists + "Release.gpg")
                  + " exists (keyring "
                  + source.keyring().origin()
                  + ")");
        }
        signedBy =
            SignatureVerifier.verifyDetached(what, bytes, sig.get(), source.keyring())
                .signerFingerprint();
      }
      signed =
          new SignedRelease(
              "Release",
              bytes,
              sig.orElse(null),
              ReleaseFile.parse(source.name(), bytes),
              signedBy);
    }
    ReleaseFile release = signed.release();
    release.checkSuite(source.suite());
    if (!source.ignoreValidUntil()) {
      release.checkValidUntil(clock.instant());
      release.checkDate(clock.instant());
    }
    return signed;
  }

  private void readPackages(
      RepositorySource source,
      ReleaseFile release,
      String component,
      ProgressListener progress,
      List<PackageRecord> out)
      throws RepositoryException, RepositoryVerificationException, InterruptedException {
    String index = component + "/binary-" + source.architecture() + "/Packages";
    ReleaseFile.IndexEntry entry =
        release
            .download(index)
            .orElseThrow(
                () ->
                    new RepositoryException(
                        "Release of source '"
                            + source.name()
                            + "' lists no "
                            + index
                            + " index (tried .xz, .gz and plain)"));
    String file = url(source, "dists/" + source.suite() + "/" + entry.path());
    if (indexCache != null) {
      Optional<List<String[]>> cached = indexCache.load(entry.sha256());
      if (cached.isPresent()) {
        LOG.debug(
            "{} {}: parsed index {} from the cache", source.name(), entry.path(), entry.sha256());
        toRecords(source, file, cached.get(), out);
        return;
      }
    }
    byte[] data = fetchIndex(source, release, entry, progress);
    List<String[]> stanzas = new ArrayList<>();
    try (InputStream in = decompress(entry.path(), new ByteArrayInputStream(data))) {
      PackagesScanner.scan(in, stanzas::add);
    } catch (IOException | IllegalArgumentException e) {
      throw new RepositoryException(
          "index " + file + " of source '" + source.name() + "' does not parse: " + e.getMessage(),
          e);
    }
    toRecords(source, file, stanzas, out);
    if (indexCache != null) {
      indexCache.store(entry.sha256(), stanzas);
    }
  }

  /**
   * The bytes of one index file the verified {@code release} lists, as the archive serves it
   * (compressed or not): from the index cache when it keeps that SHA256, else fetched (by hash when
   * the archive offers it) and kept there. Its size and SHA256 are checked either way.
   *
   * @throws RepositoryVerificationException naming the file when it does not match the Release
   * @throws RepositoryFetchException when it cannot be fetched
   */
  public byte[] fetchIndex(
      RepositorySource source,
      ReleaseFile release,
      ReleaseFile.IndexEntry entry,
      ProgressListener progress)
      throws RepositoryException, RepositoryVerificationException, InterruptedException {
    if (indexCache != null) {
      Optional<byte[]> kept = indexCache.loadFile(entry.sha256(), entry.size());
      if (kept.isPresent()) {
        return kept.get();
      }
    }
    String dists = "dists/" + source.suite() + "/";
    String label = source.name() + " " + entry.path();
    byte[] data = null;
    if (release.acquireByHash()) {
      // By-hash files never change under their name: no race with a mirror update.
      int slash = entry.path().lastIndexOf('/');
      String dir = slash < 0 ? "" : entry.path().substring(0, slash + 1);
      data =
          fetchOptional(source, dists + dir + "by-hash/SHA256/" + entry.sha256(), progress, label)
              .orElse(null);
    }
    if (data == null) {
      data = fetchRequired(source, dists + entry.path(), progress, label);
    }
    String file = url(source, dists + entry.path());
    if (data.length != entry.size()) {
      throw indexMismatch(file, source, data.length + " bytes, the Release says " + entry.size());
    }
    String actual = sha256(data);
    if (!actual.equals(entry.sha256())) {
      throw indexMismatch(
          file, source, "SHA256 " + actual + ", the Release says " + entry.sha256());
    }
    if (indexCache != null) {
      indexCache.storeFile(entry.sha256(), data);
    }
    return data;
  }

  /** An index that is not what the Release says: {@code has} tells what it has instead. */
  private static RepositoryVerificationException indexMismatch(
      String file, RepositorySource source, String has) {
    return new RepositoryVerificationException(
        file,
        RepositoryVerificationException.Reason.HASH_MISMATCH,
        "index " + file + " of source '" + source.name() + "' has " + has);
  }

  private static void toRecords(
      RepositorySource source, String file, List<String[]> stanzas, List<PackageRecord> out)
      throws RepositoryException {
    try {
      for (String[] s : stanzas) {
        out.add(PackageRecord.of(s, source.name()));
      }
    } catch (IllegalArgumentException e) {
      throw new RepositoryException(
          "index " + file + " of source '" + source.name() + "' does not parse: " + e.getMessage(),
          e);
    }
  }

  /**
   * The plain contents of an index file named {@code path} (.xz, .gz or plain) read from {@code
   * raw}.
   */
  public static InputStream decompress(String path, InputStream raw) throws IOException {
    if (path.endsWith(".xz")) {
      return XzDecoder.preferHost().open(raw);
    }
    if (path.endsWith(".gz")) {
      return new GZIPInputStream(raw, 1 << 16);
    }
    return raw;
  }

  private Optional<byte[]> fetchOptional(
      RepositorySource source, String path, ProgressListener progress)
      throws RepositoryException, InterruptedException {
    return fetchOptional(source, path, progress, source.name() + " " + path);
  }

  private byte[] fetchRequired(RepositorySource source, String path, ProgressListener progress)
      throws RepositoryException, InterruptedException {
    return fetchRequired(source, path, progress, source.name() + " " + path);
  }

  private byte[] fetchRequired(
      RepositorySource source, String path, ProgressListener progress, String label)
      throws RepositoryException, InterruptedException {
    return fetchOptional(source, path, progress, label)
        .orElseThrow(
            () ->
                new RepositoryFetchException(
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
      HttpResponse<InputStream> response = Http.get(http, uri, null, requestTimeout);
      try (InputStream in = response.body()) {
        int status = response.statusCode();
        if (status == 404 || status == 410) {
          return Optional.empty();
        }
        if (status != 200) {
          throw new RepositoryFetchException(
              Secrets.redact(uri)
                  + " of source '"
                  + source.name()
                  + "' answered "
                  + Http.status(response));
        }
        long total = response.headers().firstValueAsLong("content-length").orElse(-1);
        return Optional.of(readAll(in, label, total, progress));
      }
    } catch (NoSuchFileException | FileNotFoundException e) {
      return Optional.empty();
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedException("interrupted while fetching " + uri);
    } catch (IOException e) {
      throw new RepositoryFetchException(
          "cannot fetch "
              + Secrets.redact(uri)
              + " of source '"
              + source.name()
              + "': "
              + Http.describe(uri, e),
          e);
    }
  }

  private static byte[] readAll(InputStream in, String label, long total, ProgressListener progress)
      throws IOException, InterruptedException {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(total > 0 && total < Integer.MAX_VALUE ? (int) total : 1 << 16);
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

  /** A file's URL for messages, its password masked. */
  private static String url(RepositorySource source, String path) {
    return Secrets.redact(resolve(source.uri(), path).toString());
  }

  static String sha256(byte[] data) {
    return Sha256.of(data);
  }
}
