package io.imagebuilder.arm.internal.mount;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short host command (mount, umount, mknod) with an empty environment, stdin closed and
 * a bounded wait, and returns its exit code and output. Not for target commands.
 */
public final class HostCommand {
  private static final long TIMEOUT_SECONDS = 60;

  /** How a host command ended. */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  private HostCommand() {}

  /** Runs {@code argv} on the host; never interrupted half-way (cleanup must finish). */
  public static Result run(List<String> argv) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("LC_ALL", "C.UTF-8");
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out + " (timed out after " + TIMEOUT_SECONDS + " s)");
          }
          return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
