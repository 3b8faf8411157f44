package io.imagebuilder.testing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.exec.ExecutorProvider;
import io.imagebuilder.api.spec.Architecture;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostConditionsTest {
  @TempDir Path scratch;

  /** A strategy for the host's own architecture whose preflight passes or fails as told. */
  private record Strategy(String name, boolean runsHost, String preflightProblem)
      implements ExecutorProvider {
    @Override
    public boolean supports(Architecture target, Architecture host) {
      return runsHost && target == host;
    }

    @Override
    public int preference() {
      return 0;
    }

    @Override
    public Executor open(Path root, Architecture target) {
      String problem = preflightProblem;
      return new Executor() {
        @Override
        public String name() {
          return Strategy.this.name;
        }

        @Override
        public Path root() {
          return root;
        }

        @Override
        public Architecture architecture() {
          return target;
        }

        @Override
        public void preflight() throws ImageBuildException {
          if (problem != null) {
            throw new ImageBuildException(problem);
          }
        }

        @Override
        public CommandResult run(Command command, Consumer<String> output) {
          throw new UnsupportedOperationException("preflight only");
        }

        @Override
        public void release() {}

        @Override
        public void close() {}
      };
    }
  }

  private static final Architecture HOST = Architecture.host();

  @Test
  void theFirstStrategyWhosePreflightPassesIsChosen() throws IOException {
    HostConditions.StrategyCheck check =
        HostConditions.executorFor(
            HOST,
            List.of(
                new Strategy("native", true, "the native executor needs root"),
                new Strategy("rootless", true, null)),
            scratch);
    assertEquals("rootless", check.strategy());
    assertNull(check.problem());
    try (var left = Files.list(scratch)) {
      assertEquals(0, left.count(), "the probe roots are removed");
    }
  }

  @Test
  void notRootAndNoRootlessStrategySkipsWithEachStrategysReason() throws IOException {
    HostConditions.StrategyCheck check =
        HostConditions.executorFor(
            HOST,
            List.of(
                new Strategy("native", true, "the native executor needs root"),
                new Strategy("qemu-user", false, null)),
            scratch);
    assertNull(check.strategy());
    String reason = check.failure().orElseThrow();
    assertTrue(
        reason.startsWith(
            "no execution strategy can run " + HOST + " binaries on this " + HOST + " host as "),
        reason);
    assertTrue(reason.endsWith("(native: the native executor needs root)"), reason);
  }

  @Test
  void noStrategyForTheArchitectureNamesTheOnesOnTheClasspath() throws IOException {
    HostConditions.StrategyCheck check =
        HostConditions.executorFor(HOST, List.of(new Strategy("qemu-user", false, null)), scratch);
    assertEquals(
        "no execution strategy runs "
            + HOST
            + " binaries on this "
            + HOST
            + " host (strategies on the classpath: qemu-user)",
        check.problem());
    assertEquals(
        "no execution strategy runs "
            + HOST
            + " binaries on this "
            + HOST
            + " host (strategies on the classpath: none; add image-arm)",
        HostConditions.executorFor(HOST, List.of(), scratch).problem());
  }

  @Test
  void anArchiveThatAcceptsConnectionsIsReachable() throws IOException {
    try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertEquals(
          Optional.empty(),
          HostConditions.archiveUnreachable(
              "http://127.0.0.1:" + server.getLocalPort() + "/debian", Duration.ofSeconds(5)));
    }
  }

  @Test
  void anArchiveNobodyAnswersForIsNamedInTheReason() throws IOException {
    int port;
    try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = server.getLocalPort();
    }
    String reason =
        HostConditions.archiveUnreachable(
                "http://127.0.0.1:" + port + "/debian", Duration.ofSeconds(5))
            .orElseThrow();
    assertTrue(
        reason.startsWith(
            "no network to the archive http://127.0.0.1:"
                + port
                + "/debian (connecting to 127.0.0.1:"
                + port),
        reason);
  }

  @Test
  void aLocalArchiveNeedsNoNetwork() {
    assertEquals(
        Optional.empty(),
        HostConditions.archiveUnreachable("file:///srv/mirror", Duration.ofSeconds(1)));
    assertTrue(HostConditions.archiveUnreachable("http://", Duration.ofSeconds(1)).isPresent());
  }
}
