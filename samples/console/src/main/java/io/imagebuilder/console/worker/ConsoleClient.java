package io.imagebuilder.console.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.Sha256;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.farm.WorkerReports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The console's farm API as a worker calls it, with its token and its name (header {@code
 * X-Worker}: the console takes reports on a build only from the worker that holds it).
 */
final class ConsoleClient {
  /** What the console answered a claim. */
  enum Claim {
    /** Build it. */
    BUILD,
    /** It has ended already (or the console does not know it): acknowledge, do not build. */
    SKIP
  }

  /** The console answered something other than what the call expects. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;

    /** Whether calling again may help: the console (or what is in front of it) is restarting. */
    boolean transientFailure() {
      return status / 100 == 5;
    }

    Refused(String call, int status, String body) {
      super(
          call
              + " answered "
              + status
              + ": "
              + (body.length() > 300 ? body.substring(0, 300) : body));
      this.status = status;
    }
  }

  private final URI base;
  private final String token;
  private final String worker;
  private final ObjectMapper json;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  ConsoleClient(URI consoleUrl, String token, String worker, ObjectMapper json) {
    String u = consoleUrl.toString();
    this.base = URI.create(u.endsWith("/") ? u : u + "/");
    this.token = token;
    this.worker = worker;
    this.json = json;
  }

  Claim claim(String buildId) throws IOException, InterruptedException {
    HttpResponse<String> r = post(buildId, "claim", new WorkerReports.Claim(worker));
    if (r.statusCode() == 200) {
      return Claim.BUILD;
    }
    if (r.statusCode() == 409 || r.statusCode() == 404) {
      return Claim.SKIP;
    }
    throw new Refused("claim of " + buildId, r.statusCode(), r.body());
  }

  /**
   * @return false when the console no longer takes reports of it (cancelled, ended)
   */
  boolean progress(String buildId, WorkerReports.Progress p)
      throws IOException, InterruptedException {
    HttpResponse<String> r = post(buildId, "progress", p);
    if (r.statusCode() == 409 || r.statusCode() == 404) {
      return false;
    }
    expect(r, "progress of " + buildId);
    return true;
  }

  /**
   * @return false when the console no longer takes files of it (cancelled, taken over)
   */
  boolean upload(String buildId, Path file) throws IOException, InterruptedException {
    String name = file.getFileName().toString();
    HttpRequest req =
        request(buildId, "files/" + name)
            .header("X-Content-SHA256", Sha256.of(file))
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofFile(file))
            .build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 409 || r.statusCode() == 404) {
      return false;
    }
    expect(r, "upload of " + name);
    return true;
  }

  /**
   * @return the build as the console stored it; empty when the console did not take the result (the
   *     build is no longer this worker's: cancelled, or queued again)
   */
  java.util.Optional<BuildView> result(String buildId, WorkerReports.Result result)
      throws IOException, InterruptedException {
    HttpResponse<String> r = post(buildId, "result", result);
    if (r.statusCode() == 409) {
      return java.util.Optional.empty();
    }
    expect(r, "result of " + buildId);
    return java.util.Optional.of(json.readValue(r.body(), BuildView.class));
  }

  private HttpResponse<String> post(String buildId, String call, Object body)
      throws IOException, InterruptedException {
    HttpRequest req =
        request(buildId, call)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
            .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String buildId, String call) {
    return HttpRequest.newBuilder(base.resolve("api/farm/builds/" + buildId + "/" + call))
        .timeout(Duration.ofMinutes(10))
        .header("Authorization", "Bearer " + token)
        .header("X-Worker", worker);
  }

  private static void expect(HttpResponse<String> r, String call) throws Refused {
    if (r.statusCode() / 100 != 2) {
      throw new Refused(call, r.statusCode(), r.body());
    }
  }
}
