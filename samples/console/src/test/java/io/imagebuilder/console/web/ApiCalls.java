package io.imagebuilder.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls to the REST API of a console under test, as a client with a bearer token makes them. */
final class ApiCalls {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ApiCalls() {}

  /** {@code method path} with a JSON {@code body} (or none) and {@code token} (or none). */
  static HttpResponse<String> call(int port, String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The answer has {@code status} and its body says {@code fragment}. */
  static void assertProblem(HttpResponse<String> r, int status, String fragment) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.body().contains(fragment), "expected '" + fragment + "' in " + r.body());
  }
}
