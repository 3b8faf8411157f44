package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the command-line tool with SIGKILL in the middle of a build, twice (while downloading, and
 * while dpkg configures packages inside the sandbox), then builds again with the same cache: the
 * new build must not be blocked by stale locks, must not reuse partial downloads, must clear the
 * work folders the killed JVMs left, and must succeed; no kill leaves a mount on the host, and
 * afterwards no work folder is left.
 */
class KillRecoveryIT {
  private static final Path JAR = Path.of("target/imagebuilder.jar").toAbsolutePath();

  @TempDir Path temp;

  private List<String> build(Path cache, Path out) {
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(
        java,
        "-jar",
        JAR.toString(),
        "build",
        "--cache",
        cache.toString(),
        "--out",
        out.toString());
  }

  /**
   * Starts a build and kills it with SIGKILL as soon as {@code moment} holds for its output so far.
   */
  private String killWhen(Path cache, Predicate<String> moment) throws Exception {
    Process p =
        new ProcessBuilder(build(cache, temp.resolve("killed"))).redirectErrorStream(true).start();
    StringBuffer seen = new StringBuffer();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  seen.append(line).append('\n');
                }
              } catch (IOException e) {
                // the process was killed
              }
            });
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (!moment.test(seen.toString())) {
      assertTrue(
          p.isAlive() && System.nanoTime() < deadline,
          "the moment to kill never came; output:\n" + seen);
      Thread.sleep(50);
    }
    p.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    reader.join(10_000);
    assertEquals(137, p.exitValue(), "killed by SIGKILL; output:\n" + seen);
    return seen.toString();
  }

  private static List<String> mountsUnder(Path dir) {
    try {
      String real = dir.toRealPath().toString();
      return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .filter(l -> l.split(" ")[4].startsWith(real))
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aBuildAfterTwoKilledOnesSucceedsAndLeavesNothingBehind() throws Exception {
    Path cache = Files.createDirectories(temp.resolve("cache"));

    killWhen(cache, out -> out.contains("downloading packages: 25%"));
    try (Stream<Path> files = Files.walk(cache.resolve("packages"))) {
      assertTrue(
          files.anyMatch(f -> f.toString().endsWith(".part") || f.toString().endsWith(".lock")),
          "the first kill left partial downloads or locks behind, as a real crash does");
    }

    // Killed while maintainer scripts run in the sandbox: its mounts live only in the sandbox's
    // mount namespace, so none is ever on the host, and its processes die with the JVM.
    killWhen(cache, out -> out.contains("unpacking packages: 100%"));
    assertTrue(
        mountsUnder(cache).isEmpty(),
        "the killed build left mounts on the host: " + mountsUnder(cache));

    Process p =
        new ProcessBuilder(build(cache, temp.resolve("out"))).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(15, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("Build succeeded"), output);
    assertEquals(List.of(), mountsUnder(cache), "no mount is left under the cache");
    try (Stream<Path> work = Files.list(cache.resolve("work"))) {
      assertEquals(
          List.of(),
          work.toList(),
          "the killed builds' work folders are gone, and the last build's too");
    }
    try (Stream<Path> files = Files.list(temp.resolve("out"))) {
      List<String> names = new ArrayList<>(files.map(f -> f.getFileName().toString()).toList());
      assertTrue(names.contains("debian-bookworm-amd64.tar.zst"), names.toString());
      assertTrue(names.stream().noneMatch(n -> n.endsWith(".part")), names.toString());
    }
  }
}
