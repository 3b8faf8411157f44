package io.imagebuilder.rootfs.internal.repo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The HTTP plumbing the archive, package, keyserver and Launchpad clients share. */
public final class Http {
  private Http() {}

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
   * unknown server can make us hold in memory.
   */
  static SmallAnswer getSmall(HttpClient http, URI uri, String accept, Duration timeout, int maxBytes)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept).GET().build();
    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
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
