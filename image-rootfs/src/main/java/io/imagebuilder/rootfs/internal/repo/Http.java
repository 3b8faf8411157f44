package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.rootfs.internal.host.HostSetting;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The HTTP plumbing the archive, package, keyserver and Launchpad clients share. Every request is
 * bounded by one limit of silence ({@link #SILENCE}, default 30 s): a server that sends no headers
 * within it, or no bytes of the body for that long, fails the download with an error naming the
 * URL; an interrupt (a cancelled build) aborts a blocked download at once.
 */
public final class Http {
  /** The longest a download may go without receiving anything, in seconds. */
  public static final HostSetting<Duration> SILENCE =
      new HostSetting<>(
          "imagebuilder.http.stallTimeout",
          "IMAGEBUILDER_HTTP_STALL_TIMEOUT",
          Duration.ofSeconds(30),
          Http::parseSeconds);

  private Http() {}

  /**
   * A service's base address given as text (a keyserver, Launchpad's API): parsed, a trailing slash
   * dropped, when it has a scheme matching {@code schemes}, a host and no query or fragment.
   *
   * @param value the address as given
   * @param schemes the schemes allowed, as a regular expression
   * @return the address, or empty when it is not such an address
   */
  static java.util.Optional<URI> baseUri(String value, String schemes) {
    String v = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    URI uri;
    try {
      uri = URI.create(v);
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
    boolean ok =
        uri.getScheme() != null
            && uri.getScheme().matches(schemes)
            && uri.getHost() != null
            && uri.getRawQuery() == null
            && uri.getRawFragment() == null;
    return ok ? java.util.Optional.of(uri) : java.util.Optional.empty();
  }

  /** The configured limit of silence. */
  public static Duration silence() {
    return SILENCE.value();
  }

  /**
   * GETs {@code uri}: waits at most {@code silence} for the headers, and gives a body whose reads
   * fail after {@code silence} without data ({@link WatchedBody}).
   *
   * @param accept the Accept header, or null for none
   */
  public static HttpResponse<InputStream> get(
      HttpClient http, URI uri, String accept, Duration silence)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(silence).GET();
    if (accept != null) {
      request.header("Accept", accept);
    }
    try {
      return http.send(request.build(), info -> new WatchedBody(uri, silence));
    } catch (HttpTimeoutException e) {
      throw new SilenceTimeoutException(
          "no answer from "
              + uri
              + " within "
              + seconds(silence)
              + " (the limit of silence, set by -D"
              + SILENCE.property()
              + ")");
    }
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static Duration parseSeconds(String value) {
    try {
      double seconds = Double.parseDouble(value);
      if (seconds > 0 && seconds <= 86_400) {
        return Duration.ofMillis(Math.round(seconds * 1000));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "invalid HTTP stall timeout '" + value + "' (expected seconds, > 0 and at most 86400)");
  }

  /** A client following redirects, giving up on a connection after 30 seconds. */
  public static HttpClient newClient() {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(30))
        .build();
  }

  /**
   * What a web service answered to a small request.
   *
   * @param status the HTTP status
   * @param body the body of a 200 answer (empty otherwise), at most the bound asked for
   * @param tooLarge whether the body went past that bound (then {@code body} is cut there)
   */
  record SmallAnswer(int status, byte[] body, boolean tooLarge) {}

  /**
   * The words of a small request's failures, each naming what was asked of whom.
   *
   * @param cannot the request could not be made, e.g. "cannot fetch key X from keyserver Y"
   * @param hasNo a 404 or 410, e.g. "keyserver Y has no key X"
   * @param didNot any other answer than 200, e.g. "keyserver Y did not give key X"
   * @param answer the answer, for one that is too large, e.g. "keyserver answer for key X"
   * @param unauthorised added to a 401 or 403's message, or empty
   */
  record Asking(String cannot, String hasNo, String didNot, String answer, String unauthorised) {}

  /**
   * The body of a 200 answer to {@code uri} of at most {@code maxBytes}, else a RepositoryException
   * in the words of {@code asking}.
   */
  static byte[] getSmallOk(
      HttpClient http, URI uri, String accept, Duration timeout, int maxBytes, Asking asking)
      throws RepositoryException, InterruptedException {
    SmallAnswer answer;
    try {
      answer = getSmall(http, uri, accept, timeout, maxBytes);
    } catch (IOException e) {
      throw new RepositoryException(asking.cannot() + ": " + describe(uri, e), e);
    }
    int status = answer.status();
    if (status == 404 || status == 410) {
      throw new RepositoryException(asking.hasNo() + " (" + uri + " answered HTTP " + status + ")");
    }
    if (status != 200) {
      throw new RepositoryException(
          asking.didNot()
              + ": "
              + uri
              + " answered HTTP "
              + status
              + (status == 401 || status == 403 ? asking.unauthorised() : ""));
    }
    if (answer.tooLarge()) {
      throw new RepositoryException(
          asking.answer() + " (" + uri + ") exceeds " + maxBytes + " bytes");
    }
    return answer.body();
  }

  /**
   * GETs {@code uri} and reads a 200 answer's body up to {@code maxBytes}: a bound on what an
   * unknown server can make us hold in memory; {@code timeout} is the limit of silence.
   */
  static SmallAnswer getSmall(
      HttpClient http, URI uri, String accept, Duration timeout, int maxBytes)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> response = get(http, uri, accept, timeout);
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        return new SmallAnswer(response.statusCode(), new byte[0], false);
      }
      byte[] body = in.readNBytes(maxBytes + 1);
      boolean tooLarge = body.length > maxBytes;
      return new SmallAnswer(
          200, tooLarge ? java.util.Arrays.copyOf(body, maxBytes) : body, tooLarge);
    }
  }

  /**
   * What went wrong with a request to {@code uri}, for a message: the host and port, what the
   * failure was (refused, unknown host, timed out) and its cause, never the URL's password. The
   * JDK's own exceptions often say only their class name ({@code java.net.ConnectException}).
   */
  public static String describe(URI uri, IOException e) {
    if (e instanceof SilenceTimeoutException) {
      return io.imagebuilder.internal.validate.Secrets.redact(e.getMessage()); // it says it all
    }
    String where = hostPort(uri);
    String detail = causes(e);
    if (e instanceof java.net.http.HttpConnectTimeoutException) {
      return "connecting to " + where + " timed out (" + detail + ")";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer from " + where + " in time (" + detail + ")";
    }
    if (e instanceof java.net.ConnectException) {
      return "cannot connect to " + where + ": refused or unreachable (" + detail + ")";
    }
    if (e instanceof java.net.UnknownHostException
        || has(e, java.nio.channels.UnresolvedAddressException.class)) {
      return "unknown host " + uri.getHost() + " (" + detail + ")";
    }
    return "request to " + where + " failed (" + detail + ")";
  }

  /**
   * An answer's status for a message; for a redirect (which the client only hands back when it
   * stops following: a loop, or more redirects than it follows) the URL it came from and the
   * Location it pointed to.
   */
  public static String status(HttpResponse<?> response) {
    int status = response.statusCode();
    if (status >= 300 && status < 400) {
      String location = response.headers().firstValue("location").orElse("<none>");
      return "HTTP "
          + status
          + " from "
          + io.imagebuilder.internal.validate.Secrets.redact(response.uri())
          + " redirecting to Location: "
          + io.imagebuilder.internal.validate.Secrets.redact(location)
          + " (not followed: a redirect loop or too many redirects)";
    }
    return "HTTP " + status;
  }

  private static String hostPort(URI uri) {
    int port = uri.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
    return uri.getHost() + ":" + port;
  }

  /** Each distinct exception of the cause chain, as class: message. */
  private static String causes(Throwable e) {
    StringBuilder out = new StringBuilder();
    String last = null;
    for (Throwable t = e; t != null && out.length() < 400; t = t.getCause()) {
      String one = t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
      if (!one.equals(last)) {
        out.append(out.length() == 0 ? "" : ", caused by ").append(one);
      }
      last = one;
      if (t.getCause() == t) {
        break;
      }
    }
    return io.imagebuilder.internal.validate.Secrets.redact(out.toString());
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
