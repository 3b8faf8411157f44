package io.imagebuilder.api.exec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A command to run inside the target root: an argv (never a shell string built from input), the
 * variables added to the executor's controlled environment, and a timeout after which the process
 * tree is killed. Standard input is always closed.
 *
 * @param argv program and arguments; the program is looked up on the target's PATH
 * @param environment added to (and overriding) the executor's base environment
 * @param timeout how long the command may run
 * @param workingDirectory absolute path inside the target
 * @param nativeHelpers whether an executor that emulates the target may run the target's shell and
 *     common tools (coreutils, sed, grep, find) as the host's native builds of the same upstream
 *     versions while this command runs: an executor puts them over the target's files in {@code
 *     /bin} and {@code /usr/bin}, so only for commands that replace or remove none of the files
 *     there (a package unpack that ships only new ones may) and whose results do not depend on the
 *     machine running them; executors that run the target natively ignore it.
 * @param network whether the command may reach the network. Executors that sandbox the target run
 *     every other command in a network namespace of its own with only loopback, so that nothing a
 *     package runs (a maintainer script, a hook) can reach a host or a service once the packages
 *     are downloaded. Only commands that fetch (say {@code apt-get update}, an apt download) ask
 *     for it.
 */
public record Command(
    List<String> argv,
    Map<String, String> environment,
    Duration timeout,
    String workingDirectory,
    boolean nativeHelpers,
    boolean network) {
  /** Used when a caller gives none: long enough for a large apt-get install under emulation. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(60);

  /**
   * Checks and copies the components; a null environment is empty, a null timeout is {@link
   * #DEFAULT_TIMEOUT}, a null working directory is {@code /}.
   *
   * @param argv program and arguments; not empty
   * @param environment added to the executor's base environment; null for none
   * @param timeout how long the command may run; null for the default
   * @param workingDirectory absolute path inside the target; null for {@code /}
   * @param nativeHelpers whether an emulating executor may run native helpers for it
   * @param network whether the command may reach the network
   * @throws IllegalArgumentException naming the bad value: an empty argv, a timeout that is not
   *     positive, a relative working directory
   */
  public Command {
    if (argv == null || argv.isEmpty() || argv.get(0) == null || argv.get(0).isBlank()) {
      throw new IllegalArgumentException(
          "invalid command '" + argv + "' (expected a non-empty argv)");
    }
    argv = List.copyOf(argv);
    environment = Map.copyOf(environment == null ? Map.of() : environment);
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("invalid timeout '" + timeout + "' (expected > 0)");
    }
    workingDirectory = workingDirectory == null ? "/" : workingDirectory;
    if (!workingDirectory.startsWith("/")) {
      throw new IllegalArgumentException(
          "invalid working directory '" + workingDirectory + "' (expected an absolute path)");
    }
  }

  /**
   * A command without network access.
   *
   * @param argv the program and its arguments, as seen inside the target; not empty
   * @param environment extra environment variables; null for none
   * @param timeout how long it may run before it is killed; null for {@link #DEFAULT_TIMEOUT}
   * @param workingDirectory an absolute path inside the target; null for {@code /}
   * @param nativeHelpers whether an emulating executor may run native helpers for it
   */
  public Command(
      List<String> argv,
      Map<String, String> environment,
      Duration timeout,
      String workingDirectory,
      boolean nativeHelpers) {
    this(argv, environment, timeout, workingDirectory, nativeHelpers, false);
  }

  /**
   * A command without native helpers or network access.
   *
   * @param argv the program and its arguments, as seen inside the target; not empty
   * @param environment extra environment variables; null for none
   * @param timeout how long it may run before it is killed; null for {@link #DEFAULT_TIMEOUT}
   * @param workingDirectory an absolute path inside the target; null for {@code /}
   */
  public Command(
      List<String> argv,
      Map<String, String> environment,
      Duration timeout,
      String workingDirectory) {
    this(argv, environment, timeout, workingDirectory, false, false);
  }

  /**
   * A command with the default environment, timeout and working directory.
   *
   * @param argv the program and its arguments; not empty
   * @return the command
   */
  public static Command of(String... argv) {
    return new Command(List.of(argv), Map.of(), null, null);
  }

  /**
   * A command with the default environment, timeout and working directory.
   *
   * @param argv the program and its arguments; not empty
   * @return the command
   */
  public static Command of(List<String> argv) {
    return new Command(argv, Map.of(), null, null);
  }

  /**
   * This command with another timeout.
   *
   * @param value how long it may run before it is killed; positive, or null for the default
   * @return a copy with that timeout
   */
  public Command withTimeout(Duration value) {
    return new Command(argv, environment, value, workingDirectory, nativeHelpers, network);
  }

  /**
   * This command with one more environment variable (replacing one of the same name).
   *
   * @param name the variable's name
   * @param value its value
   * @return a copy with that variable set
   */
  public Command withEnvironment(String name, String value) {
    Map<String, String> env = new TreeMap<>(environment);
    env.put(name, value);
    return new Command(argv, env, timeout, workingDirectory, nativeHelpers, network);
  }

  /**
   * This command with native helpers allowed (see {@link #nativeHelpers()}): under emulation, shell
   * scripts such as mkinitramfs run several times faster.
   *
   * @return a copy that allows native helpers
   */
  public Command withNativeHelpers() {
    return new Command(argv, environment, timeout, workingDirectory, true, network);
  }

  /**
   * This command with network access (see {@link #network()}): for the commands that download,
   * never for one that runs what a package brings.
   *
   * @return a copy that may reach the network
   */
  public Command withNetwork() {
    return new Command(argv, environment, timeout, workingDirectory, nativeHelpers, true);
  }
}
