package io.imagebuilder.internal.engine;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.stage.InputCheck;
import io.imagebuilder.api.stage.ResolvedInput;
import io.imagebuilder.internal.hash.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * The digests inputs have now, for deciding whether a cached entry still holds: host files are
 * hashed, other kinds asked of the {@link InputCheck} of that kind. Each input is checked once per
 * build (an InRelease is fetched again only once, however many entries name it).
 */
final class InputDigests {
  private final Path cacheDir;
  private final List<InputCheck> checks;
  private final Map<String, Optional<String>> known = new HashMap<>();

  InputDigests(Path cacheDir, List<InputCheck> checks) {
    this.cacheDir = cacheDir;
    this.checks = List.copyOf(checks);
  }

  /** With the checks found by {@link ServiceLoader}. */
  static InputDigests loaded(Path cacheDir) {
    List<InputCheck> checks = new ArrayList<>();
    ServiceLoader.load(InputCheck.class).forEach(checks::add);
    return new InputDigests(cacheDir, checks);
  }

  /**
   * Whether every input still has its recorded digest; {@code log} hears the first one that does
   * not.
   */
  boolean allUnchanged(List<ResolvedInput> inputs, String what, Consumer<String> log)
      throws InterruptedException {
    for (ResolvedInput input : inputs) {
      Optional<String> now = current(input);
      if (now.isEmpty() || !now.get().equals(input.digest())) {
        log.accept(
            "stage cache: "
                + input.kind()
                + " "
                + input.key()
                + " changed since "
                + what
                + " ("
                + input.digest().substring(0, 12)
                + " then, "
                + now.map(d -> d.substring(0, 12)).orElse("unknown")
                + " now)");
        return false;
      }
    }
    return true;
  }

  /** The input's digest now; empty when it is gone or no check can tell. */
  Optional<String> current(ResolvedInput input) throws InterruptedException {
    String id = input.kind() + " " + input.key();
    Optional<String> cached = known.get(id);
    if (cached == null) {
      cached = compute(input);
      known.put(id, cached);
    }
    return cached;
  }

  private Optional<String> compute(ResolvedInput input) throws InterruptedException {
    if (input.kind().equals(ResolvedInput.FILE)) {
      Path file = Path.of(input.key());
      try {
        return Files.isRegularFile(file) ? Optional.of(Sha256.ofFile(file)) : Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    for (InputCheck check : checks) {
      if (check.kind().equals(input.kind())) {
        try {
          return check.currentDigest(input.key(), cacheDir);
        } catch (ImageBuildException | RuntimeException e) {
          return Optional.empty(); // a check that cannot tell means: build
        }
      }
    }
    return Optional.empty();
  }
}
