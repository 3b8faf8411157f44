package io.imagebuilder.console;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a browser does with the UI: keeps the session cookie and sends the forms' CSRF token. */
public final class Browser {
  private static final Pattern CSRF =
      Pattern.compile(
          "name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"");

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

  public Browser(int port) {
    this.base = "http://localhost:" + port;
  }

  public HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Posts a form the way the page at {@code page} would: with that page's CSRF token. */
  public HttpResponse<String> submit(String page, String path, String form) throws Exception {
    String token = csrf(get(page).body());
    return post(path, token == null ? form : form + "&_csrf=" + token);
  }

  /** Posts a form body as it is (no CSRF token unless it has one). */
  public HttpResponse<String> post(String path, String form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Logs in on the login page; the answer is the redirect it gives. */
  public HttpResponse<String> logIn(String name, String secret) throws Exception {
    return submit(
        "/login",
        "/login",
        "username="
            + URLEncoder.encode(name, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(secret, StandardCharsets.UTF_8));
  }

  /** The CSRF token of a page's form, or null. */
  public static String csrf(String html) {
    Matcher m = CSRF.matcher(html);
    if (!m.find()) {
      return null;
    }
    return URLEncoder.encode(m.group(1) != null ? m.group(1) : m.group(2), StandardCharsets.UTF_8);
  }
}
