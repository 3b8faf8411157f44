package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.samples.testing.ItBuilds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The command line builds the default image twice into one cache, as a user would: the second
 * run returns the same bytes from the stage cache without bootstrapping, after checking the
 * archive's InRelease is still the one the first build used.
 */
class StageCacheIT {
  /** {@code java -jar imagebuilder.jar build ...} with the stage cache on (its default). */
  private static Run build(Path cache, Path out) throws Exception {
    List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dimagebuilder.stageCache=true", "-jar", ItBuilds.cliJar().toString(),
        "build", "--cache", cache.toString(), "--out", out.toString()));
    long start = System.nanoTime();
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(15, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), output);
    return new Run(output, (System.nanoTime() - start) / 1e9);
  }

  private record Run(String output, double seconds) {
    String sha256() {
      return output.lines().filter(l -> l.startsWith("sha256:")).findFirst().orElseThrow().substring(7).strip();
    }
  }

  @Test
  void theSecondBuildOfTheSameSpecIsTheFirstsBytesFromTheCache() throws Exception {
    Path work = ItBuilds.freshWorkDir("stage-cache");
    Path cache = work.resolve("cache");

    Run first = build(cache, work.resolve("out1"));
    Run second = build(cache, work.resolve("out2"));
    System.out.printf("StageCacheIT: first build %.1f s, second (from the stage cache) %.1f s wall, JVM start included%n",
        first.seconds(), second.seconds());

    assertFalse(first.output().contains("from the stage cache"), first.output());
    assertTrue(second.output().contains("reused the result of an earlier build"), second.output());
    assertFalse(second.output().contains("rootfs.bootstrap"), "no stage ran: " + second.output());
    assertEquals(first.sha256(), second.sha256());
    Path tarball = work.resolve("out2/debian-bookworm-amd64.tar.zst");
    assertEquals(second.sha256(), ItBuilds.host("sha256sum", tarball.toString()).split(" ")[0], "the file is what was reported");
    assertTrue(Files.isRegularFile(work.resolve("out2/debian-bookworm-amd64.manifest.json")), "the manifest comes along");
  }
}
