package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.internal.log.Logs;
import io.imagebuilder.rootfs.internal.host.HostSetting;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * Fetches the OpenPGP public key of one fingerprint from an HKP keyserver ({@code
 * <keyserver>/pks/lookup?op=get&options=mr&search=0x<FINGERPRINT>}), the way Launchpad publishes
 * the signing keys of PPAs on keyserver.ubuntu.com.
 *
 * <p>The keyserver is not trusted: the answer must hold a primary key whose v4 fingerprint is
 * exactly the one asked for, and only that key (with its subkeys and self-signatures) is kept. Kept
 * keys are cached as {@code <keyDir>/<FINGERPRINT>.asc} (written under a temporary name, then
 * renamed), so later builds need no keyserver; a cached file is checked again when read.
 *
 * <p>The keyserver is the system property {@value #PROPERTY}, else the environment variable {@value
 * #ENVIRONMENT}, else {@link #DEFAULT_KEYSERVER}: it is host configuration (like a proxy), not part
 * of what the image contains, since the key is pinned by its fingerprint. Thread-safe.
 */
public final class KeyserverClient {
  /** Where Launchpad publishes PPA keys. */
  public static final URI DEFAULT_KEYSERVER = URI.create("https://keyserver.ubuntu.com");

  /** System property naming the keyserver. */
  public static final String PROPERTY = "imagebuilder.keyserver";

  /** Environment variable naming the keyserver, when the property is not set. */
  public static final String ENVIRONMENT = "IMAGEBUILDER_KEYSERVER";

  /** The host's keyserver setting. */
  public static final HostSetting<URI> SETTING =
      new HostSetting<>(PROPERTY, ENVIRONMENT, DEFAULT_KEYSERVER, KeyserverClient::keyserver);

  private static final Logger LOG = Logs.get(KeyserverClient.class);
  private static final Pattern FINGERPRINT = Pattern.compile("[0-9A-F]{40}");

  /** Far above any PPA key; a bound on what an unknown server can make us hold in memory. */
  private static final int MAX_ANSWER_BYTES = 8 << 20;

  private final HttpClient http;
  private final URI keyserver;
  private final Path keyDir;
  private final Duration requestTimeout;

  /** A client of {@code keyserver} caching keys in {@code keyDir}, with its own HttpClient. */
  public KeyserverClient(URI keyserver, Path keyDir) {
    this(Http.newClient(), keyserver, keyDir, Http.silence());
  }

  public KeyserverClient(HttpClient http, URI keyserver, Path keyDir, Duration requestTimeout) {
    this.http = http;
    this.keyserver = keyserver(keyserver.toString());
    this.keyDir = keyDir;
    this.requestTimeout = requestTimeout;
  }

  /**
   * The keyserver the host configured: {@value #PROPERTY}, else {@value #ENVIRONMENT}, else the
   * default.
   *
   * @throws IllegalArgumentException naming a bad value and where it came from
   */
  public static URI configuredKeyserver() {
    return SETTING.value();
  }

  /**
   * A keyserver address as an http(s) base URI; {@code hkps://host} is {@code https://host} and
   * {@code hkp://host} is {@code http://host:11371}, HKP's port.
   *
   * @throws IllegalArgumentException naming the value when it is not such an address
   */
  static URI keyserver(String value) {
    URI uri =
        Http.baseUri(value, "https?|hkps?")
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "invalid keyserver '"
                            + value
                            + "' (expected https://host, http://host[:port], hkps://host or"
                            + " hkp://host)"));
    return switch (uri.getScheme()) {
      case "hkps" -> withScheme(uri, "https", uri.getPort());
      case "hkp" -> withScheme(uri, "http", uri.getPort() < 0 ? 11371 : uri.getPort());
      default -> uri;
    };
  }

  private static URI withScheme(URI uri, String scheme, int port) {
    return URI.create(
        scheme
            + "://"
            + uri.getRawAuthority().replaceFirst(":\\d+$", "")
            + (port < 0 ? "" : ":" + port)
            + (uri.getRawPath() == null ? "" : uri.getRawPath()));
  }

  /**
   * A fingerprint as 40 upper-case hex digits (spaces dropped).
   *
   * @throws IllegalArgumentException naming the value and the expected form
   */
  public static String fingerprint(String value) {
    String normal = value == null ? null : value.replace(" ", "").toUpperCase(Locale.ROOT);
    if (normal == null || !FINGERPRINT.matcher(normal).matches()) {
      throw new IllegalArgumentException(
          "invalid key fingerprint '"
              + value
              + "' (expected the 40 hex digits of an OpenPGP v4 fingerprint)");
    }
    return normal;
  }

  /** The keyserver asked, as an http(s) base URI. */
  public URI keyserver() {
    return keyserver;
  }

  /** The HKP lookup of one key. */
  public URI lookupUri(String fingerprint) {
    return URI.create(
        keyserver + "/pks/lookup?op=get&options=mr&search=0x" + fingerprint(fingerprint));
  }

  /** Where the key of {@code fingerprint} is cached. */
  public Path cachedKey(String fingerprint) {
    return keyDir.resolve(fingerprint(fingerprint) + ".asc");
  }

  /**
   * The armored file holding the key of {@code fingerprint} and nothing else: from the cache, else
   * fetched from the keyserver, checked and cached.
   *
   * @throws IllegalArgumentException when the fingerprint is not 40 hex digits
   * @throws RepositoryException naming the fingerprint and the keyserver when it cannot be reached,
   *     has no such key or answers with another key
   * @throws InterruptedException when the build is being cancelled
   */
  public Path fetch(String fingerprint) throws RepositoryException, InterruptedException {
    String fp = fingerprint(fingerprint);
    Path cached = cachedKey(fp);
    Optional<Keyring> fromCache = readCached(cached, fp);
    if (fromCache.isPresent()) {
      LOG.debug("key {} from the cache {}", fp, cached);
      return cached;
    }
    Keyring key = checked(fp, download(fp));
    store(cached, key.armored());
    LOG.debug("key {} fetched from {} into {}", fp, keyserver, cached);
    return cached;
  }

  /** The cached key when the file is there and holds exactly that key; a bad file is ignored. */
  private static Optional<Keyring> readCached(Path file, String fp) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Keyring keyring = Keyring.load(file);
      if (keyring.fingerprints().equals(java.util.List.of(fp))) {
        return Optional.of(keyring);
      }
      LOG.warn(
          "cached key {} holds {}, not only {}: fetching it again",
          file,
          keyring.fingerprints(),
          fp);
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("cached key {} is unreadable ({}): fetching it again", file, e.getMessage());
    }
    return Optional.empty();
  }

  private byte[] download(String fp) throws RepositoryException, InterruptedException {
    return Http.getSmallOk(
        http,
        lookupUri(fp),
        "application/pgp-keys, text/plain",
        requestTimeout,
        MAX_ANSWER_BYTES,
        new Http.Asking(
            "cannot fetch key " + fp + " from keyserver " + keyserver,
            "keyserver " + keyserver + " has no key " + fp,
            "keyserver " + keyserver + " did not give key " + fp,
            "keyserver answer for key " + fp,
            ""));
  }

  /** Only the requested key out of the keyserver's answer, without others' certifications. */
  private Keyring checked(String fp, byte[] answer) throws RepositoryException {
    Keyring all;
    try {
      all = Keyring.fromBytes("keyserver " + keyserver, answer);
    } catch (IllegalArgumentException e) {
      throw new RepositoryException(
          "keyserver "
              + keyserver
              + " answered for key "
              + fp
              + " with no usable OpenPGP key: "
              + e.getMessage(),
          e);
    }
    return all.only(fp)
        .orElseThrow(
            () ->
                new RepositoryException(
                    "keyserver "
                        + keyserver
                        + " answered for key "
                        + fp
                        + " with other keys "
                        + all.fingerprints()
                        + ": the key was not trusted"))
        .withoutThirdPartyCertifications();
  }

  private void store(Path target, byte[] armored) throws RepositoryException {
    try {
      CacheFiles.writeAtomically(target, armored);
    } catch (IOException e) {
      throw new RepositoryException(
          "cannot cache key " + target.getFileName() + " in " + keyDir + ": " + e, e);
    }
  }
}
