package io.imagebuilder.samples.testing;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.spec.UserAccount;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Board disk images built by the library end to end, once per test JVM for every integration test
 * that checks them: a kernel installed under qemu-user spends minutes in initramfs generation, so
 * each image is built on first use and shared. All builds share one cache directory (package cache
 * linked to the run's shared one) with the stage cache on, so a later build of the same series and
 * architecture starts from the tree the first one kept after its bootstrap: these ITs check the
 * images, while BootstrapIT and StageCacheIT check how the stages run and reuse. An image with
 * openssh-server also gets the account {@link SshLogin#USER} holding the run's public key, so the
 * boot checks can log in over the network.
 */
public final class BoardBuilds {
  /** What to build: a board, its series and the extra packages. */
  public record Request(String board, String series, List<String> packages) {
    String key() {
      return board + "-" + series + (packages.isEmpty() ? "" : "-" + String.join("-", packages));
    }
  }

  /**
   * A built image: the build's result, its raw disk image, the cache (with the index) it used and,
   * for the board that checks it, what {@link EmulatedInitramfsCheck} found (else null).
   */
  public record Built(
      Request request,
      BuildResult result,
      Path image,
      Path cacheDir,
      EmulatedInitramfsCheck.Findings initramfs) {}

  /**
   * The board whose build also rebuilds its initramfs fully emulated, to prove the native helpers
   * change nothing (about a minute, so one board only).
   */
  static final String INITRAMFS_CHECKED_BOARD = "qemu-arm64";

  private static final Map<Request, Built> BUILT = new HashMap<>();
  private static Path cache;

  private BoardBuilds() {}

  /** The raw image of this board, series and packages, built on first use. */
  public static synchronized Built get(String board, String series, String... packages)
      throws Exception {
    Request request = new Request(board, series, List.of(packages));
    Built built = BUILT.get(request);
    if (built == null) {
      Path cacheDir = sharedBoardCache();
      built = build(request, cacheDir, cacheDir.resolveSibling("out-" + request.key()));
      BUILT.put(request, built);
    }
    return built;
  }

  private static Built build(Request request, Path cacheDir, Path out) throws Exception {
    long start = System.nanoTime();
    EmulatedInitramfsCheck check =
        request.board().equals(INITRAMFS_CHECKED_BOARD) ? new EmulatedInitramfsCheck() : null;
    ImageBuilder builder =
        ImageBuilder.forSeries(request.series())
            .forBoard(request.board())
            .withPackages(request.packages().toArray(String[]::new));
    if (request.packages().contains("openssh-server")) {
      builder =
          builder.withUser(
              new UserAccount(
                  SshLogin.USER, List.of(), false, null, List.of(SshLogin.publicKey())));
    }
    BuildResult result =
        builder
            .withPlanTransform(plan -> check == null ? plan : plan.insertAfter("board.boot", check))
            .build(runIn(cacheDir, out));
    Artifact raw =
        result
            .artifact(OutputFormat.RAW)
            .orElseThrow(() -> new AssertionError("no raw image among " + result.artifacts()));
    System.out.printf(
        "built %s in %.0f s: %s%n", request.key(), (System.nanoTime() - start) / 1e9, raw.file());
    return new Built(
        request, result, raw.file(), cacheDir, check == null ? null : check.findings());
  }

  /** A run into {@code out} with the shared board cache and its stage cache. */
  public static RunConfiguration runIn(Path cacheDir, Path out) {
    return RunConfiguration.into(out).withCacheDir(cacheDir).withStageCache(true);
  }

  /**
   * The cache every board build of this JVM uses, so another IT's build of the same series and
   * architecture reuses their bootstrapped tree.
   */
  public static synchronized Path sharedBoardCache() throws IOException {
    if (cache == null) {
      cache = ItBuilds.freshWorkDir("board-images").resolve("cache");
    }
    return cache;
  }
}
