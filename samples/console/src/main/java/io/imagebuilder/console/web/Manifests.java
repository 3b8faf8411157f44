package io.imagebuilder.console.web;

import io.imagebuilder.console.build.ArtifactView;
import io.imagebuilder.console.build.BuildStore;
import io.imagebuilder.console.build.BuildView;
import io.imagebuilder.manifest.api.Identification;
import io.imagebuilder.manifest.api.ImageIndex;
import io.imagebuilder.manifest.api.ImageIndexException;
import io.imagebuilder.manifest.api.IndexedBuild;
import io.imagebuilder.manifest.api.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The library's image index, where each build records its manifest (the index file in the cache
 * directory, or the console's database: see DatabaseConfiguration): manifests of builds and the
 * reverse lookup from an image (its sha256 or the file) to the spec that built it.
 */
@Component
public class Manifests {
  private final ImageIndex index;
  private final BuildStore store;

  public Manifests(ImageIndex index, BuildStore store) {
    this.index = index;
    this.store = store;
  }

  /** The manifest JSON the index holds for a build. */
  public String of(BuildView build) {
    if (build.artifacts().isEmpty()) {
      throw new ApiErrors.NotFound(
          "build " + build.id() + " has no manifest (it is " + build.status() + ")");
    }
    return lookup(build.artifacts().get(0).sha256())
        .map(LookupView::manifestJson)
        .orElseThrow(
            () -> new ApiErrors.NotFound("build " + build.id() + " is not in the image index"));
  }

  /** Records the manifests a build wrote into {@code outputDir} in the console's index. */
  public void recordAll(Path outputDir) throws IOException {
    if (!Files.isDirectory(outputDir)) {
      return;
    }
    List<Path> found;
    try (Stream<Path> files = Files.list(outputDir)) {
      found = files.filter(f -> f.getFileName().toString().endsWith(".manifest.json")).toList();
    }
    for (Path manifest : found) {
      record(manifest);
    }
  }

  /** Records a build's manifest file in the console's index. */
  public void record(Path manifestFile) throws IOException {
    Manifest manifest = Manifest.fromJson(Files.readString(manifestFile, StandardCharsets.UTF_8));
    try {
      index.record(manifest);
    } catch (ImageIndexException e) {
      throw new IllegalStateException("the image index cannot be written: " + e.getMessage(), e);
    }
  }

  /** What the index knows of an artifact, a partition or a spec with this sha256. */
  public Optional<LookupView> lookup(String sha256) {
    String hash = sha256 == null ? "" : sha256.toLowerCase(Locale.ROOT);
    if (!hash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "invalid sha256 '" + ApiText.excerpt(sha256) + "' (expected 64 hex digits)");
    }
    try {
      return index.lookup(hash).map(b -> view(hash, "INDEX", b));
    } catch (ImageIndexException e) {
      throw new IllegalStateException("the image index cannot be read: " + e.getMessage(), e);
    }
  }

  /** What an uploaded image file is: its hash in the index, else its embedded manifest. */
  public Optional<LookupView> identify(Path file) {
    try {
      Optional<Identification> id = index.identify(file);
      return id.map(
          i ->
              i.build().isPresent()
                  ? view(i.sha256(), i.source().name(), i.build().get())
                  : new LookupView(
                      i.sha256(),
                      i.source().name(),
                      i.manifest().specHash(),
                      i.specJson(),
                      null,
                      i.manifest().toJson(),
                      null));
    } catch (ImageIndexException e) {
      throw new IllegalStateException("the image index cannot be read: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the uploaded file: " + e.getMessage(), e);
    }
  }

  private LookupView view(String sha256, String source, IndexedBuild b) {
    String consoleBuild =
        store.all().stream()
            .filter(
                v ->
                    v.specHash().equals(b.specHash())
                        && v.artifacts().stream()
                            .map(ArtifactView::sha256)
                            .anyMatch(sha256::equals))
            .map(BuildView::id)
            .findFirst()
            .orElse(null);
    return new LookupView(
        sha256,
        source,
        b.specHash(),
        b.specJson(),
        b.createdAt().toString(),
        b.manifestJson(),
        consoleBuild);
  }
}
