package io.imagebuilder.samples.cli;

import io.imagebuilder.internal.process.HostProcess;
import io.imagebuilder.internal.process.HostTools;
import io.imagebuilder.internal.userns.IdMap;
import io.imagebuilder.internal.userns.SubordinateRanges;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs {@code imagebuilder build} again inside a user namespace when an ordinary user builds: the
 * caller as root and its subordinate range as 1.. (util-linux's {@code unshare --map-auto}, through
 * newuidmap), in a mount namespace of its own (whatever the build mounts dies with it), the way
 * mmdebstrap's unshare mode works. There the build is a root build in every respect (the same
 * executors, sandbox, file owners and bytes, disk images included), while the namespace's root has
 * rights over nothing on the host but the caller's own files and its range. The relaunched JVM dies
 * with this one ({@code setpriv --pdeathsig KILL}); a SIGTERM or Ctrl-C here lets it cancel its
 * build and clean up first.
 *
 * <p>Nothing is relaunched for root, inside such a namespace already ({@value #MARK} set), for a
 * build that names its {@code --executor} (say the library's own {@code rootless} strategy, which
 * an embedding JVM uses), for a user without a subordinate range or where the host refuses user
 * namespaces: the build then runs here, and its strategy's preflight says what is missing and how
 * to fix it.
 */
final class UserNamespaceRelaunch {
  /** Set in the relaunched JVM's environment, so it does not relaunch again. */
  public static final String MARK = "IMAGEBUILDER_IN_USER_NAMESPACE";

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
      prefix = prefix(args, reason -> System.err.println(notRelaunched(reason)));
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
   * {@code setpriv --pdeathsig KILL -- unshare --user --map-auto --map-root-user --mount --} when
   * {@code args} is a build of an ordinary user with a subordinate range on a host that allows user
   * namespaces; empty otherwise. When such a user's build cannot be relaunched, {@code whyNot} gets
   * the cause and its fix (a missing tool, an unshare that cannot map the range).
   */
  static Optional<List<String>> prefix(String[] args, Consumer<String> whyNot) throws IOException {
    if (args.length == 0
        || !args[0].equals("build")
        || List.of(args).stream()
            .anyMatch(a -> a.equals("--executor") || a.startsWith("--executor="))
        || System.getenv(MARK) != null
        || SubordinateRanges.effectiveUid() == 0
        || SubordinateRanges.forThisProcess().isEmpty()) {
      return Optional.empty();
    }
    Optional<String> missing = missingTools(HostTools::find);
    if (missing.isPresent()) {
      whyNot.accept(missing.get());
      return Optional.empty();
    }
    Optional<Path> setpriv = HostTools.find("setpriv");
    Optional<Path> unshare = HostTools.find("unshare");
    if (setpriv.isEmpty() || unshare.isEmpty()) {
      return Optional.empty(); // gone since missingTools looked
    }
    List<String> prefix = new ArrayList<>();
    prefix.addAll(List.of(setpriv.get().toString(), "--pdeathsig", "KILL", "--"));
    prefix.add(unshare.get().toString());
    prefix.addAll(IdMap.UNSHARE_OPTIONS);
    // a mount namespace the new user namespace owns: mount --namespace (the sandbox's binds)
    // switches back to the caller's mount namespace afterwards, which fails with EPERM when that
    // is still the host's
    prefix.add("--mount");
    prefix.add("--");
    List<String> probe = new ArrayList<>(prefix.subList(4, prefix.size()));
    probe.add("true");
    try {
      HostProcess.Result r = HostProcess.of(probe).timeout(Duration.ofSeconds(10)).run(l -> {});
      if (!r.ok()) {
        whyNot.accept(probeFailed(probe, r));
        return Optional.empty();
      }
      return Optional.of(List.copyOf(prefix));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * The tools the relaunch needs that {@code find} does not find, with the Debian packages that
   * have them; empty when all are there.
   */
  static Optional<String> missingTools(Function<String, Optional<Path>> find) {
    Map<String, String> needed = new LinkedHashMap<>();
    needed.put("setpriv", "util-linux");
    needed.put("unshare", "util-linux");
    needed.put("newuidmap", "uidmap");
    needed.put("newgidmap", "uidmap");
    List<String> missing = new ArrayList<>();
    Set<String> packages = new TreeSet<>();
    needed.forEach(
        (tool, pkg) -> {
          if (find.apply(tool).isEmpty()) {
            missing.add(tool);
            packages.add(pkg);
          }
        });
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        String.join(", ", missing)
            + " not found on the PATH. Fix (as root): apt-get install "
            + String.join(" ", packages));
  }

  /**
   * Why the probe {@code unshare --user --map-auto --map-root-user -- true} failed, with the fix.
   */
  static String probeFailed(List<String> probe, HostProcess.Result result) {
    String what =
        result.timedOut()
            ? "timed out"
            : "exited with " + result.exitCode() + outputPart(result.output());
    return String.join(" ", probe)
        + " "
        + what
        + ". It needs util-linux 2.38 or later (--map-auto), newuidmap and newgidmap set-uid root"
        + " (or with their file capabilities), the caller's ranges in /etc/subuid and /etc/subgid,"
        + " and unprivileged user namespaces allowed (kernel.unprivileged_userns_clone=1,"
        + " user.max_user_namespaces > 0, on Ubuntu"
        + " kernel.apparmor_restrict_unprivileged_userns=0)";
  }

  private static String outputPart(String output) {
    String trimmed = output == null ? "" : output.strip().replace("\n", "; ");
    return trimmed.isEmpty() ? "" : ": " + trimmed;
  }

  /** The line printed when an ordinary user's build runs here instead of in a user namespace. */
  static String notRelaunched(String reason) {
    return "imagebuilder: the build runs without a user namespace of its own: "
        + reason
        + ". Without it only the rootless strategy is left, and it builds only what needs no"
        + " root's rights over other owners' files (minbase tarballs); a build with packages or a"
        + " board fails in rootfs.finalise.";
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
    // root inside the namespace, but messages ("not writable by this user, ...") name the caller
    argv.add("-Duser.name=" + System.getProperty("user.name"));
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
