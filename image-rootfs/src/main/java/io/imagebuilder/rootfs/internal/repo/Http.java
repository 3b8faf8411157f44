package io.imagebuilder.rootfs.internal.repo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The HTTP plumbing the archive, package, keyserver and Launchpad clients share. Every request
 * is bounded by one limit of silence ({@link #SILENCE}, default 30 s): a server that sends no
 * headers within it, or no bytes of the body for that long, fails the download with an error
 * naming the URL; an interrupt (a cancelled build) aborts a blocked download at once.
 */
public final class Http {
  /** The longest a download may go without receiving anything, in seconds. */
  public static final HostSetting<Duration> SILENCE =
      new HostSetting<>("imagebuilder.http.stallTimeout", "IMAGEBUILDER_HTTP_STALL_TIMEOUT", Duration.ofSeconds(30),
          Http::parseSeconds);

  private Http() {}

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
  public static HttpResponse<InputStream> get(HttpClient http, URI uri, String accept, Duration silence)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(silence).GET();
    if (accept != null) {
      request.header("Accept", accept);
    }
    try {
      return http.send(request.build(), info -> new WatchedBody(uri, silence));
    } catch (HttpTimeoutException e) {
      throw new HttpTimeoutException("no answer from " + uri + " within " + seconds(silence)
          + " (the limit of silence, set by -D" + SILENCE.property() + ")");
    }
  }

  /** A download failure for a message: our timeouts say it all; other errors keep their type. */
  static String describe(IOException e) {
    return e instanceof HttpTimeoutException && e.getMessage() != null ? e.getMessage() : e.toString();
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
    throw new IllegalArgumentException("invalid HTTP stall timeout '" + value + "' (expected seconds, > 0 and at most 86400)");
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
   * GETs {@code uri} and reads a 200 answer's body up to {@code maxBytes}: a bound on what an
   * unknown server can make us hold in memory; {@code timeout} is the limit of silence.
   */
  static SmallAnswer getSmall(HttpClient http, URI uri, String accept, Duration timeout, int maxBytes)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> response = get(http, uri, accept, timeout);
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        return new SmallAnswer(response.statusCode(), new byte[0], false);
      }
      byte[] body = in.readNBytes(maxBytes + 1);
      boolean tooLarge = body.length > maxBytes;
      return new SmallAnswer(200, tooLarge ? java.util.Arrays.copyOf(body, maxBytes) : body, tooLarge);
    }
  }
}
