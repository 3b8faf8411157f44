package io.imagebuilder.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.Hashing;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.internal.io.AtomicFiles;
import io.imagebuilder.internal.testing.TestExecutors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds started together into one output directory: the artifact a successful build reports is the
 * file under its name, byte for byte; a build that cannot have the directory says so.
 */
class ConcurrentBuildsTest {
  @TempDir Path temp;

  /** Writes a 4 MiB artifact slowly, as a tarball stage does, and reports its hash. */
  private static final class SlowArtifactStage implements Stage {
    @Override
    public String type() {
      return "test.slow-artifact";
    }

    @Override
    public String summary() {
      return "a slow artifact";
    }

    @Override
    public Phase phase() {
      return Phase.ASSEMBLE;
    }

    @Override
    public Map<String, Object> options() {
      return Map.of();
    }

    @Override
    public void run(StageContext context) throws ImageBuildException, InterruptedException {
      Path target = context.outputDir().resolve("image.tar");
      byte[] chunk = new byte[64 * 1024];
      try {
        AtomicFiles.write(
            target,
            out -> {
              for (int i = 0; i < 64; i++) {
                java.util.Arrays.fill(chunk, (byte) i);
                out.write(chunk);
                sleep(3);
              }
            });
        String sha =
            com.google.common.io.Files.asByteSource(target.toFile())
                .hash(Hashing.sha256())
                .toString();
        context.addArtifact(new Artifact(target, OutputFormat.TAR, Files.size(target), sha));
      } catch (IOException e) {
        throw new ImageBuildException("cannot write " + target + ": " + e, e);
      }
    }

    private static void sleep(long millis) throws IOException {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
    }
  }

  private BuildResult build(Path out) throws ImageBuildException {
    return ImageBuilder.forSeries("bookworm")
        .forArchitecture("amd64")
        .withPlanTransform(plan -> Plan.of(List.of(new SlowArtifactStage())))
        .build(
            RunConfiguration.into(out)
                .withCacheDir(temp.resolve("cache"))
                .withExecutor(TestExecutors.succeeding())
                .withStageCache(false)); // each build writes its artifact, none is restored
  }

  @Test
  void twoBuildsStartedTogetherNeverReportAHashOtherThanTheFiles() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    int refused = 0;
    try {
      for (int round = 0; round < 10; round++) {
        Path out = temp.resolve("out" + round);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<BuildResult>> builds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          builds.add(
              pool.submit(
                  () -> {
                    start.await();
                    return build(out);
                  }));
        }
        start.countDown();
        int succeeded = 0;
        for (Future<BuildResult> f : builds) {
          try {
            Artifact a = f.get().artifacts().get(0);
            String onDisk =
                com.google.common.io.Files.asByteSource(a.file().toFile())
                    .hash(Hashing.sha256())
                    .toString();
            assertEquals(
                a.sha256(), onDisk, "round " + round + ": the reported hash is the file's");
            succeeded++;
          } catch (java.util.concurrent.ExecutionException e) {
            String message = e.getCause().getMessage();
            assertTrue(
                message.startsWith("the output directory " + out + " is in use by another build"),
                message);
            refused++;
          }
        }
        assertTrue(succeeded >= 1, "round " + round + ": one build had the directory");
        try (var files = Files.list(out)) {
          assertTrue(
              files.noneMatch(p -> p.getFileName().toString().endsWith(".part")),
              "no temporary file is left");
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(refused > 0, "a build that overlapped another was refused the directory");
    try (var work = Files.list(temp.resolve("cache/work"))) {
      assertEquals(List.of(), work.toList(), "no work folder or lock file is left");
    }
  }
}
