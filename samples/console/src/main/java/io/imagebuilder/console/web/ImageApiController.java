package io.imagebuilder.console.web;

import io.imagebuilder.console.ConsoleSettings;
import io.swagger.v3.oas.annotations.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Reverse lookup: from an image's sha256, or the image file itself, to the spec that built it. */
@RestController
@ApiController
@RequestMapping("/api/images")
public class ImageApiController {
  private final Manifests manifests;
  private final ConsoleSettings settings;

  public ImageApiController(Manifests manifests, ConsoleSettings settings) {
    this.manifests = manifests;
    this.settings = settings;
  }

  @Operation(summary = "Look up an artifact, a partition or a spec by its sha256")
  @GetMapping("/{sha256}")
  public LookupView lookup(@PathVariable String sha256) {
    return manifests
        .lookup(sha256)
        .orElseThrow(
            () -> new ApiErrors.NotFound("no image with sha256 " + sha256 + " is indexed"));
  }

  @Operation(
      summary = "Identify an uploaded image file",
      description =
          "Multipart field 'file'. Its sha256 is looked up in the index; an image not indexed is"
              + " identified by the manifest embedded in it. The upload is deleted afterwards.")
  @PostMapping(value = "/identify", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  public LookupView identify(@RequestParam("file") MultipartFile file) throws IOException {
    return identifyUpload(file);
  }

  /** Copies the upload into the uploads directory, identifies it and deletes it. */
  LookupView identifyUpload(MultipartFile file) throws IOException {
    if (file.isEmpty()) {
      throw new IllegalArgumentException("empty upload 'file' (expected an image file)");
    }
    Files.createDirectories(settings.uploadsDir());
    Path tmp = Files.createTempFile(settings.uploadsDir(), "identify-", ".upload");
    try {
      try (InputStream in = file.getInputStream()) {
        Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      return manifests
          .identify(tmp)
          .orElseThrow(
              () ->
                  new ApiErrors.NotFound(
                      "the uploaded file is not in the index and holds no embedded manifest"));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
