package io.imagebuilder.samples.cli;

import io.imagebuilder.internal.process.HostProcess;
import io.imagebuilder.internal.process.HostTools;
import io.imagebuilder.internal.userns.SubordinateRanges;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code imagebuilder build} again inside a user namespace when an ordinary user builds: the
 * caller as root and its subordinate range as 1.. (util-linux's {@code unshare --map-auto}, through
 * newuidmap), the way mmdebstrap's unshare mode works. There the build is a root build in every
 * respect (the same executors, sandbox, file owners and bytes, disk images included), while the
 * namespace's root has rights over nothing on the host but the caller's own files and its range.
 * The relaunched JVM dies with this one ({@code setpriv --pdeathsig KILL}); a SIGTERM or Ctrl-C
 * here lets it cancel its build and clean up first.
 *
 * <p>Nothing is relaunched for root, inside such a namespace already ({@value #MARK} set), for a
 * user without a subordinate range or where the host refuses user namespaces: the build then runs
 * here, and its strategy's preflight says what is missing and how to fix it.
 */
final class UserNamespaceRelaunch {
  /** Set in the relaunched JVM's environment, so it does not relaunch again. */
  static final String MARK = "IMAGEBUILDER_IN_USER_NAMESPACE";

  private static final Duration CHILD_CLEANUP = Duration.ofMinutes(2);

  private UserNamespaceRelaunch() {}

  /**
   * Relaunches {@code args} in a user namespace when that is useful and possible.
   *
   * @param args the command line
   * @return the relaunched command's exit code, or empty when it was not relaunched
   */
  static OptionalInt runIfUseful(String[] args) {
    Optional<List<String>> prefix;
    try {
      prefix = prefix(args);
    } catch (IOException e) {
      return OptionalInt.empty(); // the build's own preflight reports what is wrong
    }
    if (prefix.isEmpty()) {
      return OptionalInt.empty();
    }
    List<String> argv = new ArrayList<>(prefix.get());
    argv.addAll(thisJvm());
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).inheritIO();
    pb.environment().put(MARK, "1");
    try {
      Process child = pb.start();
      Thread waitForChild = new Thread(() -> stop(child), "imagebuilder-userns-child");
      Runtime.getRuntime().addShutdownHook(waitForChild);
      int exit = child.waitFor();
      Runtime.getRuntime().removeShutdownHook(waitForChild);
      return OptionalInt.of(exit);
    } catch (IOException e) {
      return OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.of(130);
    } catch (IllegalStateException e) {
      return OptionalInt.of(130); // shutting down already: the hook waits for the child
    }
  }

  /**
   * {@code setpriv --pdeathsig KILL -- unshare --user --map-auto --map-root-user --} when {@code
   * args} is a build of an ordinary user with a subordinate range on a host that allows user
   * namespaces; empty otherwise.
   */
  static Optional<List<String>> prefix(String[] args) throws IOException {
    if (args.length == 0
        || !args[0].equals("build")
        || System.getenv(MARK) != null
        || SubordinateRanges.effectiveUid() == 0
        || SubordinateRanges.forThisProcess().isEmpty()) {
      return Optional.empty();
    }
    Optional<Path> setpriv = HostTools.find("setpriv");
    Optional<Path> unshare = HostTools.find("unshare");
    if (setpriv.isEmpty() || unshare.isEmpty() || HostTools.find("newuidmap").isEmpty()) {
      return Optional.empty();
    }
    List<String> prefix =
        List.of(
            setpriv.get().toString(),
            "--pdeathsig",
            "KILL",
            "--",
            unshare.get().toString(),
            "--user",
            "--map-auto",
            "--map-root-user",
            "--");
    List<String> probe = new ArrayList<>(prefix.subList(4, prefix.size()));
    probe.add("true");
    try {
      HostProcess.Result r = HostProcess.of(probe).timeout(Duration.ofSeconds(10)).run(l -> {});
      return r.ok() ? Optional.of(prefix) : Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** This JVM again: its java binary, its options, its class path and this main class. */
  private static List<String> thisJvm() {
    List<String> argv = new ArrayList<>();
    argv.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    argv.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add(ImageBuilderCli.class.getName());
    return argv;
  }

  /** At shutdown: lets the child cancel its build (SIGTERM) and waits for it to clean up. */
  private static void stop(Process child) {
    if (!child.isAlive()) {
      return;
    }
    child.destroy();
    try {
      if (!child.waitFor(CHILD_CLEANUP.toSeconds(), TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    } catch (InterruptedException e) {
      child.destroyForcibly();
    }
  }
}
