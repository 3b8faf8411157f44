package io.imagebuilder.rootfs.internal.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.spec.Ppa;
import io.imagebuilder.internal.log.Logs;
import io.imagebuilder.rootfs.internal.host.HostSetting;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Asks Launchpad's web API which key signs a PPA: {@code GET <api>/~OWNER/+archive/ubuntu/NAME},
 * field {@code signing_key_fingerprint}, the way {@code add-apt-repository} finds a PPA's key.
 *
 * <p>Trust: the fingerprint is only as good as the HTTPS connection to Launchpad, the trust {@code
 * add-apt-repository} gives it too; the key itself is then fetched by that fingerprint and checked
 * to be exactly that key ({@link KeyserverClient}). A caller who wants a pinned key gives the
 * fingerprint or a key file, and Launchpad is not asked.
 *
 * <p>The answer is cached as {@code <keyDir>/ppa/<OWNER>/<NAME>.fingerprint} (beside the keys), so
 * a rebuild asks neither Launchpad nor the keyserver; delete the file to ask again, e.g. after
 * Launchpad gave the PPA a new key. The API base is the system property {@value #PROPERTY}, else
 * the environment variable {@value #ENVIRONMENT}, else {@link #DEFAULT_API}: host configuration,
 * like the keyserver. Thread-safe.
 */
public final class LaunchpadClient {
  /** Launchpad's web API, version 1.0. */
  public static final URI DEFAULT_API = URI.create("https://api.launchpad.net/1.0");

  /** System property naming the API base. */
  public static final String PROPERTY = "imagebuilder.launchpad.api";

  /** Environment variable naming the API base, when the property is not set. */
  public static final String ENVIRONMENT = "IMAGEBUILDER_LAUNCHPAD_API";

  /** The host's Launchpad API setting. */
  public static final HostSetting<URI> SETTING =
      new HostSetting<>(PROPERTY, ENVIRONMENT, DEFAULT_API, LaunchpadClient::api);

  private static final Logger LOG = Logs.get(LaunchpadClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An archive's JSON is a few kB; a bound on what an unknown server can make us hold. */
  private static final int MAX_ANSWER_BYTES = 1 << 20;

  private static final String FIELD = "signing_key_fingerprint";

  private final HttpClient http;
  private final URI api;
  private final Path keyDir;
  private final Duration requestTimeout;

  /** A client of {@code api} caching answers in {@code keyDir}, with its own HttpClient. */
  public LaunchpadClient(URI api, Path keyDir) {
    this(Http.newClient(), api, keyDir, Http.silence());
  }

  public LaunchpadClient(HttpClient http, URI api, Path keyDir, Duration requestTimeout) {
    this.http = http;
    this.api = api(api.toString());
    this.keyDir = keyDir;
    this.requestTimeout = requestTimeout;
  }

  /**
   * The API base the host configured: {@value #PROPERTY}, else {@value #ENVIRONMENT}, else the
   * default.
   *
   * @throws IllegalArgumentException naming a bad value and where it came from
   */
  public static URI configuredApi() {
    return SETTING.value();
  }

  /**
   * An API base as an http(s) URI without a trailing slash.
   *
   * @throws IllegalArgumentException naming the value when it is not one
   */
  static URI api(String value) {
    return Http.baseUri(value, "https?")
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "invalid Launchpad API '"
                        + value
                        + "' (expected an http(s) base such as "
                        + DEFAULT_API
                        + ")"));
  }

  /** The API base asked. */
  public URI api() {
    return api;
  }

  /** The API resource of a PPA's archive. */
  public URI archiveUri(Ppa ppa) {
    return URI.create(api + "/~" + ppa.owner() + "/+archive/ubuntu/" + ppa.archive());
  }

  /**
   * Where the fingerprint of a PPA's key is cached (owner and name cannot hold '/' or start with
   * '.').
   */
  public Path cachedFingerprint(Ppa ppa) {
    return keyDir.resolve("ppa").resolve(ppa.owner()).resolve(ppa.archive() + ".fingerprint");
  }

  /**
   * The fingerprint (40 upper-case hex digits) of the key that signs {@code ppa}: from the cache,
   * else asked of Launchpad and cached.
   *
   * @throws RepositoryException naming the PPA and the URL asked when Launchpad cannot be reached,
   *     has no such PPA or gives no fingerprint
   * @throws InterruptedException when the build is being cancelled
   */
  public String signingKeyFingerprint(Ppa ppa) throws RepositoryException, InterruptedException {
    Path cached = cachedFingerprint(ppa);
    Optional<String> fromCache = readCached(cached);
    if (fromCache.isPresent()) {
      LOG.debug("{} is signed by {} (cached in {})", ppa.ppa(), fromCache.get(), cached);
      return fromCache.get();
    }
    URI uri = archiveUri(ppa);
    String fingerprint = fingerprintIn(ppa, uri, download(ppa, uri));
    try {
      CacheFiles.writeAtomically(cached, (fingerprint + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new RepositoryException(
          "cannot cache the key fingerprint of " + ppa.ppa() + " in " + cached + ": " + e, e);
    }
    LOG.debug("{} is signed by {} (asked {})", ppa.ppa(), fingerprint, uri);
    return fingerprint;
  }

  /** The cached fingerprint when the file holds one; a bad file is ignored. */
  private static Optional<String> readCached(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          KeyserverClient.fingerprint(Files.readString(file, StandardCharsets.US_ASCII).strip()));
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn(
          "cached fingerprint {} is unusable ({}): asking Launchpad again", file, e.getMessage());
      return Optional.empty();
    }
  }

  private byte[] download(Ppa ppa, URI uri) throws RepositoryException, InterruptedException {
    return Http.getSmallOk(
        http,
        uri,
        "application/json",
        requestTimeout,
        MAX_ANSWER_BYTES,
        new Http.Asking(
            "cannot ask Launchpad for the key of PPA " + ppa.ppa() + " (" + uri + ")",
            "Launchpad has no PPA " + ppa.ppa(),
            "Launchpad did not describe PPA " + ppa.ppa(),
            "Launchpad's answer for PPA " + ppa.ppa(),
            " (a private PPA needs its key given)"));
  }

  private static String fingerprintIn(Ppa ppa, URI uri, byte[] answer) throws RepositoryException {
    JsonNode field;
    try {
      field = JSON.readTree(answer).path(FIELD);
    } catch (IOException e) {
      throw new RepositoryException(
          "Launchpad's answer for PPA "
              + ppa.ppa()
              + " ("
              + uri
              + ") is not JSON: "
              + e.getMessage(),
          e);
    }
    if (!field.isTextual()) {
      throw new RepositoryException(
          "Launchpad's answer for PPA "
              + ppa.ppa()
              + " ("
              + uri
              + ") has no "
              + FIELD
              + (field.isNull() ? " (null: the PPA has no signing key yet)" : ""));
    }
    try {
      return KeyserverClient.fingerprint(field.asText());
    } catch (IllegalArgumentException e) {
      throw new RepositoryException(
          "Launchpad's answer for PPA " + ppa.ppa() + " (" + uri + ") has an " + e.getMessage(), e);
    }
  }
}
