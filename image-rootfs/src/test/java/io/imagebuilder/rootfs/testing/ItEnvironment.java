package io.imagebuilder.rootfs.testing;

import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.ExecutionStrategies;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.Architecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What integration tests share: one package cache per run, and commands in extracted images. */
public final class ItEnvironment {
  private ItEnvironment() {}

  /** The run's shared cache ($IMAGEBUILDER_TEST_CACHE, else target/it-cache). */
  public static Path cacheDir() {
    String shared = System.getenv("IMAGEBUILDER_TEST_CACHE");
    return Path.of(shared != null && !shared.isBlank() ? shared : "target/it-cache")
        .toAbsolutePath();
  }

  /** A build into {@code out} with the run's shared cache. */
  public static RunConfiguration run(Path out) {
    return RunConfiguration.into(out).withCacheDir(cacheDir());
  }

  /** Extracts a rootfs tarball with the host's tar (numeric owners, all attributes). */
  public static Path extract(Path tarball, Path into) throws IOException, InterruptedException {
    Files.createDirectories(into);
    host(List.of("tar", "--numeric-owner", "-xpf", tarball.toString(), "-C", into.toString()));
    return into;
  }

  /** Runs {@code argv} on the host; fails with its output unless it exits 0. */
  public static String host(List<String> argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(argv)).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + " failed:\n" + out);
    }
    return out;
  }

  /**
   * Runs commands inside an extracted image as its architecture (native or qemu-user), with the
   * host's DNS so apt can reach the archive. Close it to undo the mounts.
   */
  public static final class Target implements AutoCloseable {
    private final Executor executor;

    public Target(Path root, Architecture arch) throws IOException {
      Files.copy(
          Path.of("/etc/resolv.conf"),
          root.resolve("etc/resolv.conf"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      this.executor = ExecutionStrategies.find(ExecutionStrategies.AUTO, arch).open(root, arch);
    }

    /**
     * The output of {@code argv}, run with the network (these tests run apt in the image); fails
     * with the output tail unless it exits 0.
     */
    public String run(String... argv) throws ImageBuildException, InterruptedException {
      StringBuilder out = new StringBuilder();
      CommandResult r =
          executor.run(Command.of(argv).withNetwork(), line -> out.append(line).append('\n'));
      if (r.exitCode() != 0) {
        throw new AssertionError(
            String.join(" ", argv) + " exited with " + r.exitCode() + ":\n" + out);
      }
      return out.toString();
    }

    @Override
    public void close() throws ImageBuildException {
      executor.close();
    }
  }
}
