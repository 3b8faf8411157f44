package io.imagebuilder.console.web;

import io.imagebuilder.console.ConsoleSettings;
import io.imagebuilder.console.build.ArtifactView;
import io.imagebuilder.console.build.BuildLog;
import io.imagebuilder.console.build.BuildService;
import io.imagebuilder.console.build.BuildStatus;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.console.build.SubmissionReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Builds: submit, list, status with stages, log (whole or live), cancel, artifacts, manifest. */
@RestController
@ApiController
@RequestMapping("/api/builds")
public class BuildApiController {
  private final BuildService builds;
  private final BuildStore store;
  private final SubmissionReader reader;
  private final ConsoleSettings settings;
  private final Manifests manifests;
  private final BuildActions actions;

  public BuildApiController(
      BuildService builds,
      BuildStore store,
      SubmissionReader reader,
      ConsoleSettings settings,
      Manifests manifests,
      BuildActions actions) {
    this.builds = builds;
    this.store = store;
    this.reader = reader;
    this.settings = settings;
    this.manifests = manifests;
    this.actions = actions;
  }

  @Operation(
      summary = "Queue builds",
      description =
          "The body is an ImageSpec's JSON, one request {image_type, series, image, ppa_list,"
              + " package_list, trigger, ...} or a JSON list of requests. All are checked before"
              + " any is queued; a bad one answers 400 naming the field.")
  @RequestBody(
      content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<List<BuildView>> submit(HttpServletRequest request) throws IOException {
    byte[] body =
        Bodies.read(
            request.getInputStream(), request.getContentLengthLong(), settings.maxRequestBytes());
    var submissions = reader.read(body);
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(actions.submit(submissions, request));
  }

  @Operation(summary = "List builds, the newest first")
  @GetMapping
  public List<BuildView> list(
      @Parameter(description = "QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED")
          @RequestParam(required = false)
          String status,
      @RequestParam(required = false) String series,
      @RequestParam(required = false) String trigger,
      @RequestParam(required = false) String architecture,
      @Parameter(description = "true: only releases; false: no releases")
          @RequestParam(required = false)
          Boolean release,
      @RequestParam(defaultValue = "100") int limit) {
    BuildStatus wanted = status == null ? null : status(status);
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("invalid limit '" + limit + "' (expected 1 to 1000)");
    }
    return store.all().stream()
        .filter(b -> wanted == null || b.status() == wanted)
        .filter(b -> series == null || series.equals(b.series()))
        .filter(b -> trigger == null || trigger.equals(b.trigger()))
        .filter(b -> architecture == null || architecture.equals(b.architecture()))
        .filter(b -> release == null || release == (b.release() != null))
        .limit(limit)
        .toList();
  }

  private static BuildStatus status(String s) {
    try {
      return BuildStatus.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid status '" + s + "' (expected one of " + List.of(BuildStatus.values()) + ")", e);
    }
  }

  @Operation(summary = "A build's status, its stages and artifacts")
  @GetMapping("/{id}")
  public BuildView get(@PathVariable String id) {
    return build(id);
  }

  @Operation(
      summary = "Cancel a queued or running build",
      description = "Only the account that submitted the build, or an admin, may cancel it.")
  @PostMapping("/{id}/cancel")
  public BuildView cancel(@PathVariable String id, HttpServletRequest request) {
    return actions.cancel(build(id), request);
  }

  @Operation(
      summary = "Mark a finished build as a release",
      description =
          "Retention never removes a release. Needs the role console.policy.release names"
              + " (default release); a build that has not succeeded or has expired answers 409.")
  @PostMapping("/{id}/release")
  public BuildView release(@PathVariable String id, HttpServletRequest request) {
    return actions.release(build(id), request);
  }

  @Operation(summary = "The build's log so far, as text")
  @GetMapping(value = "/{id}/log", produces = MediaType.TEXT_PLAIN_VALUE)
  public ResponseEntity<Resource> log(@PathVariable String id) {
    BuildView b = build(id);
    if (b.expiredAt() != null) {
      throw new ApiErrors.NotFound(
          "the log of build " + id + " was removed by retention at " + b.expiredAt());
    }
    Path file = builds.log(b).file();
    if (!Files.exists(file)) {
      return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(null);
    }
    return ResponseEntity.ok()
        .contentType(new MediaType(MediaType.TEXT_PLAIN, java.nio.charset.StandardCharsets.UTF_8))
        .body(new FileSystemResource(file));
  }

  @Operation(
      summary = "The build's log, live",
      description =
          "Server-sent events: each line as a 'line' event (its id the line number), from the"
              + " first, then one 'end' event whose data is the build's final status.")
  @GetMapping(value = "/{id}/log/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter stream(@PathVariable String id) throws IOException {
    BuildLog log = builds.log(build(id));
    SseEmitter emitter = new SseEmitter(0L);
    LogStream follower = new LogStream(emitter);
    emitter.onCompletion(() -> log.unfollow(follower));
    emitter.onError(e -> log.unfollow(follower));
    emitter.onTimeout(() -> log.unfollow(follower));
    log.follow(follower);
    return emitter;
  }

  @Operation(
      summary = "Download an artifact",
      description = "HTTP Range requests are answered with 206; the ETag is the artifact's sha256.")
  @GetMapping("/{id}/artifacts/{name}")
  public ResponseEntity<Resource> artifact(
      @PathVariable String id, @PathVariable String name, WebRequest request) {
    BuildView b = build(id);
    ArtifactView a = Artifacts.find(b, name);
    if (b.expiredAt() != null) {
      throw new ApiErrors.NotFound(
          "artifact '"
              + a.name()
              + "' of build "
              + id
              + " was removed by retention at "
              + b.expiredAt());
    }
    String etag = "\"" + a.sha256() + "\"";
    if (request.checkNotModified(etag)) {
      return null;
    }
    Path file = builds.outputDir(b.id()).resolve(a.name());
    if (!Files.isRegularFile(file)) {
      throw new ApiErrors.NotFound("artifact '" + a.name() + "' of build " + id + " is gone");
    }
    return ResponseEntity.ok()
        .eTag(etag)
        .header("Accept-Ranges", "bytes")
        .header("Content-Disposition", "attachment; filename=\"" + a.name() + "\"")
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .body(new FileSystemResource(file));
  }

  @Operation(summary = "The build's manifest (from the image index)")
  @GetMapping(value = "/{id}/manifest", produces = MediaType.APPLICATION_JSON_VALUE)
  public String manifest(@PathVariable String id) {
    return manifests.of(build(id));
  }

  private BuildView build(String id) {
    return store.find(id).orElseThrow(() -> new ApiErrors.NotFound("no build '" + id + "'"));
  }
}
