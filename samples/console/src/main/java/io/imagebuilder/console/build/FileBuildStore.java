package io.imagebuilder.console.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.console.JsonFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Keeps each build as {@code <buildsDir>/<id>/build.json}, written whole under a temporary name and
 * renamed, and in memory for queries. Builds the console was running or had queued when it stopped
 * are marked failed when it starts again: their threads are gone.
 */
public final class FileBuildStore implements BuildStore {
  static final String FILE = "build.json";

  private final Path buildsDir;
  private final ObjectMapper json;
  private final Map<String, BuildView> builds = new ConcurrentHashMap<>();

  public FileBuildStore(Path buildsDir, ObjectMapper json) {
    this.buildsDir = buildsDir;
    this.json = json;
    load();
  }

  private void load() {
    try {
      Files.createDirectories(buildsDir);
      try (Stream<Path> dirs = Files.list(buildsDir)) {
        for (Path dir : dirs.toList()) {
          Path file = dir.resolve(FILE);
          if (!BuildIds.isValid(dir.getFileName().toString()) || !Files.isRegularFile(file)) {
            continue;
          }
          BuildView b = json.readValue(file.toFile(), BuildView.class);
          if (b.status() == BuildStatus.RUNNING) {
            b =
                b.with(
                    BuildStatus.FAILED,
                    b.startedAt(),
                    Instant.now(),
                    b.stages(),
                    List.of(),
                    "the console stopped while this build was running",
                    null);
            save(b);
          }
          builds.put(b.id(), b);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the builds in " + buildsDir, e);
    }
  }

  @Override
  public void save(BuildView build) {
    Path dir = buildsDir.resolve(BuildIds.check(build.id()));
    try {
      JsonFiles.write(json, dir.resolve(FILE), build, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write build " + build.id() + " in " + dir, e);
    }
    builds.put(build.id(), build);
  }

  @Override
  public Optional<BuildView> find(String id) {
    return BuildIds.isValid(id) ? Optional.ofNullable(builds.get(id)) : Optional.empty();
  }

  @Override
  public List<BuildView> all() {
    return builds.values().stream()
        .sorted(
            Comparator.comparing(BuildView::submittedAt).thenComparing(BuildView::id).reversed())
        .toList();
  }
}
