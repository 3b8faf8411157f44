package io.imagebuilder.console.web;

import io.imagebuilder.console.build.BuildIds;
import io.imagebuilder.console.build.BuildService;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.build.UploadedFiles;
import io.imagebuilder.console.farm.FarmDispatcher;
import io.imagebuilder.console.farm.WorkerReports;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * What farm workers tell the console about the builds they run (role {@code build}): they claim a
 * job, report log lines and stages, upload each file with its sha256 (verified before it is
 * stored), then the result. Every call names its worker in the header {@code X-Worker}; only the
 * worker that holds a build (see {@link FarmDispatcher}) may report on it. Only in farm mode.
 */
@RestController
@ApiController
@RequestMapping("/api/farm/builds")
@ConditionalOnProperty(name = "imagebuilder.farm.amqp.enabled", havingValue = "true")
public class FarmApiController {
  private final BuildService builds;
  private final BuildStore store;
  private final Manifests manifests;
  private final FarmDispatcher dispatcher;

  public FarmApiController(
      BuildService builds, BuildStore store, Manifests manifests, FarmDispatcher dispatcher) {
    this.builds = builds;
    this.store = store;
    this.manifests = manifests;
    this.dispatcher = dispatcher;
  }

  @Operation(
      summary = "A worker takes a build",
      description =
          "200 with the build, now RUNNING on this worker; 409 with the build when it has ended"
              + " already or another live worker holds it (the worker acknowledges its job"
              + " without building it).")
  @PostMapping("/{id}/claim")
  public ResponseEntity<BuildView> claim(
      @PathVariable String id, @RequestBody WorkerReports.Claim claim) {
    String worker = worker(claim.worker());
    FarmDispatcher.Claim c =
        dispatcher
            .claim(BuildIds.check(id), worker)
            .orElseThrow(() -> new ApiErrors.NotFound("no build " + id));
    BuildView b = store.find(id).orElseThrow();
    return ResponseEntity.status(
            c == FarmDispatcher.Claim.BUILD ? HttpStatus.OK : HttpStatus.CONFLICT)
        .body(b);
  }

  @Operation(
      summary = "A worker's log lines and stages of a build it runs",
      description =
          "Also the worker's heartbeat. 409 when the build is no longer this worker's to run"
              + " (cancelled, or queued again after the worker was silent too long): the worker"
              + " stops it.")
  @PostMapping("/{id}/progress")
  public ResponseEntity<Void> progress(
      @PathVariable String id,
      @RequestHeader(name = "X-Worker", required = false) String worker,
      @RequestBody WorkerReports.Progress progress) {
    if (!dispatcher.holds(BuildIds.check(id), worker(worker))) {
      return ResponseEntity.status(HttpStatus.CONFLICT).build();
    }
    try {
      builds.progress(BuildIds.check(id), progress.lines(), progress.stages());
    } catch (IllegalStateException e) {
      return ResponseEntity.status(HttpStatus.CONFLICT).build();
    }
    return ResponseEntity.noContent().build();
  }

  @Operation(
      summary = "A worker uploads a file of a build (an artifact, the manifest, the lock)",
      description =
          "The body is the file; the header X-Content-SHA256 its sha256. A body that does not"
              + " match is refused (400) and not stored.")
  @PutMapping("/{id}/files/{name}")
  public Map<String, Object> upload(
      @PathVariable String id,
      @PathVariable String name,
      @RequestHeader(name = "X-Content-SHA256", required = false) String sha256,
      @RequestHeader(name = "X-Worker", required = false) String worker,
      HttpServletRequest request)
      throws IOException {
    BuildView b = running(id);
    if (!dispatcher.holds(b.id(), worker(worker))) {
      throw new ResponseStatusException(
          HttpStatus.CONFLICT, "build " + id + " is not held by worker " + worker(worker));
    }
    long size =
        UploadedFiles.store(request.getInputStream(), builds.outputDir(b.id()), name, sha256);
    return Map.of("name", name, "size", size, "sha256", sha256);
  }

  @Operation(
      summary = "A worker's result of a build",
      description =
          "Each artifact named must have been uploaded with the same sha256. A succeeded build's"
              + " manifest is recorded in the console's image index.")
  @PostMapping("/{id}/result")
  public BuildView result(
      @PathVariable String id,
      @RequestHeader(name = "X-Worker", required = false) String worker,
      @RequestBody WorkerReports.Result result)
      throws IOException {
    BuildIds.check(id);
    if (result.status() == null) {
      throw new IllegalArgumentException(
          "invalid result: no status (expected SUCCEEDED, FAILED or CANCELLED)");
    }
    BuildView before = store.find(id).orElseThrow(() -> new ApiErrors.NotFound("no build " + id));
    if (before.status().isFinal()) {
      return before; // a result sent again, or of a cancelled build: stored once
    }
    if (!dispatcher.holds(id, worker(worker))) {
      throw new ResponseStatusException(
          HttpStatus.CONFLICT,
          "build " + id + " is " + before.status() + " and not held by worker " + worker(worker));
    }
    BuildView b =
        builds.complete(
            id,
            result.status(),
            result.stages(),
            result.artifacts(),
            result.error(),
            result.failedStage());
    if (b.status() == BuildStatus.SUCCEEDED) {
      manifests.recordAll(builds.outputDir(id));
    }
    return b;
  }

  private static String worker(String name) {
    return name == null || name.isBlank() ? "?" : ApiText.excerpt(name);
  }

  private BuildView running(String id) {
    BuildIds.check(id);
    return store
        .find(id)
        .filter(b -> b.status() == BuildStatus.RUNNING)
        .orElseThrow(() -> new ApiErrors.NotFound("no running build " + id));
  }
}
