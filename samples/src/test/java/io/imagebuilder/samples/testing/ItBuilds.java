package io.imagebuilder.samples.testing;

import io.imagebuilder.internal.io.SafeDelete;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the samples' integration tests share: a fresh cache directory per test class whose package
 * cache is the run's shared one, the command-line jar run as a child JVM, host commands.
 */
public final class ItBuilds {
  private ItBuilds() {}

  /**
   * The run's shared cache ($IMAGEBUILDER_TEST_CACHE, else target/it-cache): its .debs are reused.
   */
  public static Path sharedCache() {
    String shared = System.getenv("IMAGEBUILDER_TEST_CACHE");
    return Path.of(shared != null && !shared.isBlank() ? shared : "target/it-cache")
        .toAbsolutePath();
  }

  /**
   * {@code target/it-<name>}, emptied, with a {@code cache} directory holding no index yet and
   * {@code cache/packages} linked to the shared package cache.
   */
  public static Path freshWorkDir(String name) throws IOException {
    Path work = Path.of("target", "it-" + name).toAbsolutePath();
    deleteTree(work);
    Path cache = Files.createDirectories(work.resolve("cache"));
    Path packages = Files.createDirectories(sharedCache().resolve("packages"));
    Files.createSymbolicLink(cache.resolve("packages"), packages);
    return work;
  }

  /** The shaded command-line jar, built by the package phase before failsafe runs. */
  public static Path cliJar() {
    Path jar = Path.of("target/imagebuilder.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing (expected the package phase to build it before the ITs)");
    }
    return jar;
  }

  /** {@code java -jar imagebuilder.jar args...}, started; stdout and stderr go to {@code log}. */
  public static Process startCli(Path log, String... args) throws IOException {
    List<String> argv =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    String stageCache = System.getProperty("imagebuilder.stageCache");
    if (stageCache != null) {
      argv.add(
          "-Dimagebuilder.stageCache="
              + stageCache); // the child builds as the test's own builds do
    }
    argv.addAll(List.of("-jar", cliJar().toString()));
    argv.addAll(List.of(args));
    return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /**
   * Waits for a child started with {@link #startCli}; its exit code (the child is killed on
   * timeout).
   */
  public static int await(Process p, long minutes) throws InterruptedException {
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      throw new AssertionError("the build took more than " + minutes + " minutes; killed it");
    }
    return p.exitValue();
  }

  /** Runs {@code argv} on the host; its output, or an AssertionError with it unless it exits 0. */
  public static String host(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", argv) + " failed:\n" + out);
    }
    return out;
  }

  /** The last {@code n} lines of a log file, for failure messages. */
  public static String tail(Path log, int n) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  /**
   * Deletes a tree without following links (a linked package cache stays) and without crossing into
   * another filesystem (a mount left inside is an error, never emptied).
   */
  public static void deleteTree(Path root) throws IOException {
    SafeDelete.deleteTreeOrThrow(root);
  }
}
