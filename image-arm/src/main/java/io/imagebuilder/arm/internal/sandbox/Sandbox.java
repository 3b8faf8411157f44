package io.imagebuilder.arm.internal.sandbox;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.arm.internal.mount.Signals;
import io.imagebuilder.internal.log.Logs;
import io.imagebuilder.internal.process.HostProcess;
import io.imagebuilder.internal.process.HostTools;
import io.imagebuilder.internal.userns.IdMap;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;

/**
 * A long-lived set of namespaces in which everything that runs inside a target runs: mount, PID,
 * IPC, UTS and network namespaces of its own, and for a rootless build a user namespace with the
 * caller as 0 and its subordinate range as 1.. (util-linux {@code unshare --map-auto
 * --map-root-user}, through the setuid {@code newuidmap}/{@code newgidmap}). A holder process
 * ({@code sleep infinity}) is PID 1 in it. The JVM cannot unshare itself (it has threads), so it
 * stays outside.
 *
 * <p>Once {@link SandboxMounts} has set up the target's kernel filesystems, the target becomes the
 * root of the mount namespace ({@code pivot_root}) and the host's root is detached from it: nothing
 * of the host is reachable by path, through {@code /proc/1/root} (the holder's root is the target)
 * or by leaving a chroot ({@code ..} stops at the target's mount root). Each command enters with
 * {@link #command}: {@code nsenter} into the namespaces (the network one unless the command asks
 * for the network), {@code setpriv} to cut the capability bounding set down to {@link
 * SandboxCapabilities#KEPT}, then the target as its root. Those two host programs run from the
 * host's root, kept open by {@code nsenter --root=/} across the switch, and never from the target.
 *
 * <p>It dies with the JVM: {@code unshare} gets SIGKILL when its parent thread ends ({@code setpriv
 * --pdeathsig}; a dedicated thread starts it and waits for it), and {@code --kill-child} takes the
 * holder, and with it every process of the PID namespace, along. Its mounts exist only in its mount
 * namespace and vanish with it; nothing is mounted on the host.
 */
public final class Sandbox implements AutoCloseable {
  private static final Logger LOG = Logs.get(Sandbox.class);
  private static final Duration START = Duration.ofSeconds(10);

  /** mount and umount: seconds of work; a minute bounds a hung one. */
  private static final Duration SHORT = Duration.ofSeconds(60);

  /** Where the host's root is put by pivot_root, on the target's /run tmpfs, until detached. */
  static final String OLD_ROOT = "/run/.imagebuilder-host";

  private final Process unshare;
  private final long holder;
  private final Thread keeper;
  private final boolean userNamespace;

  private Sandbox(Process unshare, long holder, Thread keeper, boolean userNamespace) {
    this.unshare = unshare;
    this.holder = holder;
    this.keeper = keeper;
    this.userNamespace = userNamespace;
  }

  /**
   * The argv that starts the sandbox (its holder sleeps until it is ended).
   *
   * @param userNamespace whether it gets a user namespace with the caller's subordinate range
   */
  static List<String> startArgv(boolean userNamespace) throws ImageBuildException {
    List<String> argv = new ArrayList<>();
    argv.addAll(
        List.of(
            HostTools.require("setpriv", "util-linux"),
            "--pdeathsig",
            "KILL",
            "--",
            HostTools.require("unshare", "util-linux")));
    if (userNamespace) {
      argv.addAll(IdMap.UNSHARE_OPTIONS);
    }
    argv.addAll(
        List.of(
            "--mount",
            "--propagation",
            "private",
            "--pid",
            "--fork",
            "--kill-child",
            "--ipc",
            "--uts",
            "--net",
            "--"));
    // the holder holds no more than a command: a command may then open /proc/1/root (its own
    // root), which needs the caller's capabilities to cover the target's
    argv.addAll(dropCapabilities(HostTools.require("setpriv", "util-linux")));
    argv.addAll(List.of(HostTools.require("sleep", "coreutils"), "infinity"));
    return argv;
  }

  /** Starts a sandbox for a build as root: no user namespace, the host's ids. */
  public static Sandbox startAsRoot() throws ImageBuildException {
    return launch(false);
  }

  /**
   * Starts a rootless sandbox and checks that its id maps are {@code uids} and {@code gids} (what
   * the JVM-side readers of the tree assume).
   */
  public static Sandbox start(IdMap uids, IdMap gids) throws ImageBuildException {
    HostTools.require("newuidmap", "uidmap");
    HostTools.require("newgidmap", "uidmap");
    Sandbox sandbox = launch(true);
    try {
      IdMap u = IdMap.read(Path.of("/proc/" + sandbox.holder + "/uid_map"));
      IdMap g = IdMap.read(Path.of("/proc/" + sandbox.holder + "/gid_map"));
      if (!u.equals(uids) || !g.equals(gids)) {
        throw new ImageBuildException(
            "the rootless sandbox got the uid map "
                + u
                + " and gid map "
                + g
                + ", expected "
                + uids
                + " and "
                + gids
                + " (from /etc/subuid and /etc/subgid)");
      }
    } catch (IOException | ImageBuildException | RuntimeException e) {
      sandbox.close();
      if (e instanceof ImageBuildException ibe) {
        throw ibe;
      }
      throw new ImageBuildException("cannot read the id maps of the rootless sandbox: " + e, e);
    }
    return sandbox;
  }

  private static Sandbox launch(boolean userNamespace) throws ImageBuildException {
    HostTools.require("nsenter", "util-linux");
    List<String> argv = startArgv(userNamespace);
    CompletableFuture<Process> started = new CompletableFuture<>();
    // PR_SET_PDEATHSIG fires when the parent *thread* ends: this thread lives as long as the
    // sandbox
    Thread keeper =
        new Thread(
            () -> {
              Process p;
              try {
                p =
                    new ProcessBuilder(argv)
                        .redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .directory(new File("/"))
                        .start();
              } catch (IOException | RuntimeException e) {
                started.completeExceptionally(e);
                return;
              }
              started.complete(p);
              while (true) {
                try {
                  p.waitFor();
                  return;
                } catch (InterruptedException e) {
                  // only close() ends the sandbox: it kills the process, then this wait returns
                }
              }
            },
            "imagebuilder-sandbox");
    keeper.setDaemon(true);
    keeper.start();
    Process unshare;
    try {
      unshare = started.get(START.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new ImageBuildException(
          "cannot start the sandbox (" + String.join(" ", argv) + "): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("interrupted while starting the sandbox", e);
    }
    long holder = awaitHolder(unshare, argv);
    return new Sandbox(unshare, holder, keeper, userNamespace);
  }

  /** Waits for unshare's child (the holder) to appear with its maps written. */
  private static long awaitHolder(Process unshare, List<String> argv) throws ImageBuildException {
    long deadline = System.nanoTime() + START.toNanos();
    Path children = Path.of("/proc/" + unshare.pid() + "/task/" + unshare.pid() + "/children");
    while (System.nanoTime() < deadline) {
      if (!unshare.isAlive()) {
        throw new ImageBuildException(
            "the sandbox ended at once (exit "
                + unshare.exitValue()
                + ") ("
                + String.join(" ", argv)
                + ")"
                + (argv.contains("--user")
                    ? "; check /etc/subuid, /etc/subgid and that newuidmap works"
                    : "; check that this host lets root create namespaces (not a container"
                        + " without CAP_SYS_ADMIN)"));
      }
      try {
        String text = Files.readString(children).strip();
        if (!text.isEmpty()) {
          long pid = Long.parseLong(text.split("\\s+")[0]);
          Path exe = Path.of("/proc/" + pid + "/exe");
          // before its exec the child is still unshare; the holder is sleep
          if (Files.readSymbolicLink(exe).getFileName().toString().equals("sleep")) {
            return pid;
          }
        }
      } catch (IOException | NumberFormatException e) {
        // not there yet
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        unshare.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new ImageBuildException("interrupted while starting the sandbox", e);
      }
    }
    unshare.destroyForcibly();
    throw new ImageBuildException("the sandbox did not start within " + START.toSeconds() + " s");
  }

  /** The PID (on the host) of the holder, PID 1 inside. */
  public long holderPid() {
    return holder;
  }

  /** Whether the sandbox has a user namespace (a rootless build). */
  public boolean userNamespace() {
    return userNamespace;
  }

  /**
   * The argv prefix that runs a host program in every namespace of the sandbox, with the host's
   * root: for setting up the mounts before the target becomes the root.
   */
  List<String> enter() throws ImageBuildException {
    List<String> argv = new ArrayList<>();
    argv.add(HostTools.require("nsenter", "util-linux"));
    argv.add("--target=" + holder);
    if (userNamespace) {
      argv.add("--user");
    }
    argv.addAll(List.of("--mount", "--pid", "--ipc", "--uts", "--net", "--"));
    return argv;
  }

  /**
   * The argv prefix that runs a host program in the sandbox's user namespace (if any) but in the
   * host's mount namespace: for mount and umount with {@code --namespace} {@link #mountNamespace()}
   * once the target is the sandbox's root.
   */
  List<String> outside() throws ImageBuildException {
    if (!userNamespace) {
      return List.of();
    }
    return List.of(
        HostTools.require("nsenter", "util-linux"), "--target=" + holder, "--user", "--");
  }

  /** The sandbox's mount namespace, for {@code mount --namespace}. */
  public String mountNamespace() {
    return "/proc/" + holder + "/ns/mnt";
  }

  /**
   * Where the JVM sees the target as the sandbox's processes see it, with its mounts (the tmpfs on
   * {@code /run}): the holder's root.
   */
  public Path inside() {
    return Path.of("/proc/" + holder + "/root");
  }

  /**
   * The host argv that runs {@code argv} in the target: in every namespace of the sandbox (the
   * network one only when {@code network} is false), with the bounding set cut to {@link
   * SandboxCapabilities#KEPT}, the target as its root and {@code workingDirectory} (inside the
   * target) as its working directory.
   */
  public List<String> command(String workingDirectory, boolean network, List<String> argv)
      throws ImageBuildException {
    return commandArgv(
        holder,
        userNamespace,
        workingDirectory,
        network,
        argv,
        HostTools.require("nsenter", "util-linux"),
        HostTools.require("setpriv", "util-linux"),
        HostTools.require("unshare", "util-linux"));
  }

  static List<String> commandArgv(
      long holder,
      boolean userNamespace,
      String workingDirectory,
      boolean network,
      List<String> argv,
      String nsenter,
      String setpriv,
      String unshare) {
    if (!workingDirectory.startsWith("/")) {
      throw new IllegalArgumentException(
          "invalid working directory '" + workingDirectory + "' (expected an absolute path)");
    }
    List<String> full = new ArrayList<>();
    full.add(nsenter);
    full.add("--target=" + holder);
    if (userNamespace) {
      full.add("--user");
    }
    full.addAll(List.of("--mount", "--pid", "--ipc", "--uts"));
    if (!network) {
      full.add("--net");
    }
    // opened before nsenter switches namespaces: setpriv and unshare below come from the host
    full.add("--root=/");
    full.add("--");
    full.addAll(dropCapabilities(setpriv));
    // the holder's root is the target's mount root: nothing above it is reachable
    full.addAll(
        List.of(unshare, "--root=/proc/" + holder + "/root", "--wd=" + workingDirectory, "--"));
    full.addAll(argv);
    return full;
  }

  /** The setpriv argv that cuts the bounding, inheritable and ambient sets, up to its "--". */
  static List<String> dropCapabilities(String setpriv) {
    return List.of(
        setpriv,
        "--bounding-set=" + SandboxCapabilities.boundingSet(),
        "--inh-caps=-all",
        "--ambient-caps=-all",
        "--");
  }

  /**
   * Bind-mounts {@code source} onto {@code point}, both absolute paths inside the target, in the
   * sandbox's mount namespace ({@code mount --namespace}: the paths resolve with the target as the
   * root, so a symbolic link in the target cannot lead the mount outside it).
   */
  public void bind(String source, String point) throws ImageBuildException {
    for (String p : List.of(source, point)) {
      if (!p.startsWith("/") || p.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "invalid path '" + p + "' (expected an absolute path inside the target)");
      }
    }
    List<String> argv = new ArrayList<>(outside());
    argv.addAll(
        List.of(
            HostTools.require("mount", "mount"),
            "--namespace",
            mountNamespace(),
            "--bind",
            source,
            point));
    run(argv, "mount --bind " + source + " " + point, SHORT);
  }

  /**
   * Undoes a {@link #bind} of {@code point} (inside the target). umount's own {@code --namespace}
   * does not find the mount (util-linux 2.38), so umount runs in the sandbox's mount namespace with
   * the host's root and names the point through the holder's root; it can only unmount mounts of
   * the sandbox's namespace.
   */
  public void unmount(String point) throws ImageBuildException {
    if (!point.startsWith("/")) {
      throw new IllegalArgumentException(
          "invalid path '" + point + "' (expected an absolute path inside the target)");
    }
    List<String> argv = new ArrayList<>();
    argv.add(HostTools.require("nsenter", "util-linux"));
    argv.add("--target=" + holder);
    if (userNamespace) {
      argv.add("--user");
    }
    argv.addAll(
        List.of(
            "--mount",
            "--root=/",
            "--",
            HostTools.require("umount", "mount"),
            "--no-canonicalize",
            inside() + point));
    run(argv, "umount " + point, SHORT);
  }

  /** Runs a host program (with the host's root) inside the sandbox, to its end. */
  void runHostTool(List<String> argv, Duration timeout) throws ImageBuildException {
    List<String> full = new ArrayList<>(enter());
    full.addAll(argv);
    run(full, String.join(" ", argv), timeout);
  }

  private static void run(List<String> full, String display, Duration timeout)
      throws ImageBuildException {
    HostProcess.Result r;
    try {
      r = HostProcess.of(full).timeout(timeout).runToEnd();
    } catch (IOException e) {
      throw new ImageBuildException("cannot run " + display + " for the sandbox: " + e, e);
    }
    if (!r.ok()) {
      throw new ImageBuildException(
          display + " failed for the sandbox (exit " + r.exitCode() + "): " + r.output());
    }
  }

  /** Whether the holder still runs. */
  public boolean alive() {
    return unshare.isAlive() && Files.exists(Path.of("/proc/" + holder));
  }

  /**
   * Ends every process of the sandbox (the PID namespace dies with its first process) and waits.
   */
  @Override
  public void close() {
    Signals.kill(holder, Signals.SIGKILL);
    unshare.destroyForcibly();
    HostProcess.awaitEnd(unshare, Duration.ofSeconds(5));
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (Files.exists(Path.of("/proc/" + holder)) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (Files.exists(Path.of("/proc/" + holder))) {
      LOG.warn("the sandbox's holder {} is still there after SIGKILL", holder);
    }
    keeper.interrupt();
  }
}
