package io.imagebuilder.console.worker;

import io.imagebuilder.api.exec.ExecutionStrategies;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.Architecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The architectures this host can build, as the library finds: a strategy that supports the pair
 * ({@code auto}: native first, then qemu-user) whose preflight passes, i.e. a native host, or a
 * registered and working binfmt_misc handler for qemu.
 */
final class WorkerArchitectures {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerArchitectures.class);

  private WorkerArchitectures() {}

  /** Every architecture buildable here; {@code scratch} is an empty directory to test in. */
  static List<Architecture> detect(Path scratch) throws IOException {
    List<Architecture> out = new ArrayList<>();
    for (Architecture a : Architecture.values()) {
      Path root = Files.createTempDirectory(Files.createDirectories(scratch), "arch-check-");
      try (Executor e = ExecutionStrategies.find(ExecutionStrategies.AUTO, a).open(root, a)) {
        e.preflight();
        out.add(a);
      } catch (Exception e) {
        LOG.info("not taking {} jobs: {}", a.debianName(), e.getMessage());
      } finally {
        WorkerCleanup.deleteTree(root);
      }
    }
    return out;
  }

  /** The architectures named, or those detected when none is. */
  static List<Architecture> of(List<String> names, Path scratch) throws IOException {
    if (names.isEmpty()) {
      return detect(scratch);
    }
    return names.stream().map(Architecture::fromDebianName).toList();
  }
}
