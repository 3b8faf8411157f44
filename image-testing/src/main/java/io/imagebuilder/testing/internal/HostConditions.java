package io.imagebuilder.testing.internal;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.exec.ExecutorProvider;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.internal.io.SafeDelete;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What this host, as this user, lacks to build and run a fixture: an execution strategy that really
 * runs the target's binaries here (each strategy's own preflight decides, so a rootless strategy
 * that works for an ordinary user counts, and a foreign architecture needs a working qemu-user
 * interpreter), and a connection to the archive.
 */
public final class HostConditions {
  private HostConditions() {}

  /**
   * The strategy to use, or why there is none.
   *
   * @param strategy the name of the first strategy whose preflight passed, or null
   * @param problem why no strategy can run the target here, or null
   */
  public record StrategyCheck(String strategy, String problem) {
    /** {@return the problem, if there is one} */
    public Optional<String> failure() {
      return Optional.ofNullable(problem);
    }
  }

  /**
   * The first of {@code providers} (in their order of preference) that supports {@code target} on
   * this host and whose preflight passes, tried on an empty root under {@code scratch}.
   */
  public static StrategyCheck executorFor(
      Architecture target, List<ExecutorProvider> providers, Path scratch) throws IOException {
    Architecture host = Architecture.host();
    List<String> tried = new ArrayList<>();
    for (ExecutorProvider provider : providers) {
      if (!provider.supports(target, host)) {
        continue;
      }
      Optional<String> problem = preflight(provider, target, scratch);
      if (problem.isEmpty()) {
        return new StrategyCheck(provider.name(), null);
      }
      tried.add(provider.name() + ": " + problem.get());
    }
    String who = "uid " + uid();
    if (tried.isEmpty()) {
      List<String> names = providers.stream().map(ExecutorProvider::name).toList();
      return new StrategyCheck(
          null,
          "no execution strategy runs "
              + target
              + " binaries on this "
              + host
              + " host (strategies on the classpath: "
              + (names.isEmpty() ? "none; add image-arm" : String.join(", ", names))
              + ")");
    }
    return new StrategyCheck(
        null,
        "no execution strategy can run "
            + target
            + " binaries on this "
            + host
            + " host as "
            + who
            + " ("
            + String.join("; ", tried)
            + ")");
  }

  private static Optional<String> preflight(
      ExecutorProvider provider, Architecture target, Path scratch) throws IOException {
    Files.createDirectories(scratch);
    Path probe = Files.createTempDirectory(scratch, "probe-");
    try (Executor executor = provider.open(probe.resolve("root"), target)) {
      executor.preflight();
      return Optional.empty();
    } catch (ImageBuildException | RuntimeException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    } finally {
      SafeDelete.deleteTreeOrThrow(probe);
    }
  }

  /**
   * Why the archive at {@code mirror} cannot be reached (a TCP connection to its host and port
   * within {@code timeout}), or empty when it can or is not a network address (file:).
   */
  public static Optional<String> archiveUnreachable(String mirror, Duration timeout) {
    URI uri;
    try {
      uri = new URI(mirror);
    } catch (URISyntaxException e) {
      return Optional.of("the archive '" + mirror + "' is not a URI (" + e.getMessage() + ")");
    }
    String scheme =
        uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.empty();
    }
    if (uri.getHost() == null) {
      return Optional.of("the archive '" + mirror + "' names no host");
    }
    int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), port), (int) timeout.toMillis());
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(
          "no network to the archive "
              + mirror
              + " (connecting to "
              + uri.getHost()
              + ":"
              + port
              + " within "
              + timeout.toSeconds()
              + " s: "
              + e
              + ")");
    }
  }

  private static String uid() {
    try {
      return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return System.getProperty("user.name");
    }
  }
}
