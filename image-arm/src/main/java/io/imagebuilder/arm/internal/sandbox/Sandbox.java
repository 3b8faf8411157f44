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
 * A long-lived set of namespaces for one rootless build: a user namespace with the caller as 0 and
 * its subordinate range as 1.. (util-linux {@code unshare --map-auto --map-root-user}, through the
 * setuid {@code newuidmap}/{@code newgidmap}), with its own mount, PID, IPC and UTS namespaces. A
 * holder process ({@code sleep infinity}) is PID 1 in it; commands are entered with {@code nsenter}
 * ({@link #enter()}). The JVM cannot unshare itself (it has threads), so it stays outside.
 *
 * <p>It dies with the JVM: {@code unshare} gets SIGKILL when its parent thread ends ({@code setpriv
 * --pdeathsig}; a dedicated thread starts it and waits for it), and {@code --kill-child} takes the
 * holder, and with it every process of the PID namespace, along. Its mounts exist only in its mount
 * namespace and vanish with it; nothing is mounted on the host.
 */
public final class Sandbox implements AutoCloseable {
  private static final Logger LOG = Logs.get(Sandbox.class);
  private static final Duration START = Duration.ofSeconds(10);

  private final Process unshare;
  private final long holder;
  private final Thread keeper;

  private Sandbox(Process unshare, long holder, Thread keeper) {
    this.unshare = unshare;
    this.holder = holder;
    this.keeper = keeper;
  }

  /** The argv that starts the sandbox (its holder sleeps until it is ended). */
  static List<String> startArgv() throws ImageBuildException {
    return List.of(
        HostTools.require("setpriv", "util-linux"),
        "--pdeathsig",
        "KILL",
        "--",
        HostTools.require("unshare", "util-linux"),
        "--user",
        "--map-auto",
        "--map-root-user",
        "--mount",
        "--propagation",
        "private",
        "--pid",
        "--fork",
        "--kill-child",
        "--ipc",
        "--uts",
        "--",
        HostTools.require("sleep", "coreutils"),
        "infinity");
  }

  /**
   * Starts a sandbox and checks that its id maps are {@code uids} and {@code gids} (what the
   * JVM-side readers of the tree assume).
   */
  public static Sandbox start(IdMap uids, IdMap gids) throws ImageBuildException {
    HostTools.require("newuidmap", "uidmap");
    HostTools.require("newgidmap", "uidmap");
    List<String> argv = startArgv();
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
          "cannot start the rootless sandbox (" + String.join(" ", argv) + "): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("interrupted while starting the rootless sandbox", e);
    }
    long holder = awaitHolder(unshare, argv);
    Sandbox sandbox = new Sandbox(unshare, holder, keeper);
    try {
      IdMap u = IdMap.read(Path.of("/proc/" + holder + "/uid_map"));
      IdMap g = IdMap.read(Path.of("/proc/" + holder + "/gid_map"));
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

  /** Waits for unshare's child (the holder) to appear with its maps written. */
  private static long awaitHolder(Process unshare, List<String> argv) throws ImageBuildException {
    long deadline = System.nanoTime() + START.toNanos();
    Path children = Path.of("/proc/" + unshare.pid() + "/task/" + unshare.pid() + "/children");
    while (System.nanoTime() < deadline) {
      if (!unshare.isAlive()) {
        throw new ImageBuildException(
            "the rootless sandbox ended at once (exit "
                + unshare.exitValue()
                + ") ("
                + String.join(" ", argv)
                + "); check /etc/subuid, /etc/subgid and that newuidmap works");
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
        throw new ImageBuildException("interrupted while starting the rootless sandbox", e);
      }
    }
    unshare.destroyForcibly();
    throw new ImageBuildException(
        "the rootless sandbox did not start within " + START.toSeconds() + " s");
  }

  /** The PID (on the host) of the holder, PID 1 inside. */
  public long holderPid() {
    return holder;
  }

  /** The argv prefix that runs a host program inside the sandbox as its root. */
  public List<String> enter() throws ImageBuildException {
    List<String> argv = new ArrayList<>();
    argv.add(HostTools.require("nsenter", "util-linux"));
    argv.add("--target=" + holder);
    argv.addAll(List.of("--user", "--mount", "--pid", "--ipc", "--uts", "--"));
    return argv;
  }

  /** Runs a host program inside the sandbox, to its end; fails with its output. */
  public void runHostTool(List<String> argv, Duration timeout) throws ImageBuildException {
    List<String> full = new ArrayList<>(enter());
    full.addAll(argv);
    HostProcess.Result r;
    try {
      r = HostProcess.of(full).timeout(timeout).runToEnd();
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot run " + String.join(" ", argv) + " in the rootless sandbox: " + e, e);
    }
    if (!r.ok()) {
      throw new ImageBuildException(
          String.join(" ", argv)
              + " failed in the rootless sandbox (exit "
              + r.exitCode()
              + "): "
              + r.output());
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
      LOG.warn("the rootless sandbox's holder {} is still there after SIGKILL", holder);
    }
    keeper.interrupt();
  }
}
