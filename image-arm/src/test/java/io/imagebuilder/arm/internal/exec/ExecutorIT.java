package io.imagebuilder.arm.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.CommandFailedException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.api.exec.ExecutionStrategies;
import io.imagebuilder.api.exec.Executor;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.arm.internal.mount.StaleMountCleaner;
import io.imagebuilder.internal.io.SafeDelete;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real sandboxes of busybox roots from the Debian archive: native amd64, arm64 and armhf under
 * qemu-user. Needs root, qemu-user-static and binfmt-support with binfmt_misc mounted. The host's
 * mount table never changes: every mount lives in the sandbox's namespace.
 */
class ExecutorIT {
  private Path work;
  private String mountsBefore;

  @BeforeEach
  void setUp() throws Exception {
    work = Files.createDirectories(Path.of("target/it-work").toAbsolutePath()).toRealPath();
    work = Files.createTempDirectory(work, "exec-");
    mountsBefore = mountinfo();
  }

  @AfterEach
  void tearDown() throws Exception {
    StaleMountCleaner.clean(work);
    assertEquals(mountsBefore, mountinfo(), "host mount table changed");
    assertEquals(List.of(), SafeDelete.deleteTree(work));
  }

  /**
   * The host's mount table entries under this test's directory: what its executors may change.
   * Other builds on the host (a parallel test run, a benchmark) mount elsewhere at any time.
   */
  private String mountinfo() throws Exception {
    String mine = " " + work + "/";
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(line -> line.contains(mine) || line.contains(" " + work + " "))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  /**
   * Host processes with {@code token} among their arguments (a sleep of a duration no other test
   * uses; under qemu-user the interpreter's argv holds the target's).
   */
  static List<Long> processesWith(String token) throws Exception {
    List<Long> found = new ArrayList<>();
    try (java.util.stream.Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        if (!p.getFileName().toString().matches("[0-9]+")) {
          continue;
        }
        try {
          String cmdline =
              new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (List.of(cmdline.split("\0")).contains(token)) {
            found.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (java.io.IOException e) {
          // ended meanwhile
        }
      }
    }
    return found;
  }

  /** Waits up to 10 s for a host process with {@code token} among its arguments. */
  static List<Long> awaitProcessWith(String token) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    List<Long> found = processesWith(token);
    while (found.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
      found = processesWith(token);
    }
    return found;
  }

  /** Waits up to 10 s for no host process to have {@code token} among its arguments. */
  static List<Long> awaitNoProcessWith(String token) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    List<Long> left = processesWith(token);
    while (!left.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      left = processesWith(token);
    }
    return left;
  }

  private Executor open(Architecture arch, String name) throws Exception {
    Path root = BusyboxRoots.create(arch, work.resolve(name));
    return ExecutionStrategies.find("auto", arch).open(root, arch);
  }

  private static CommandResult run(Executor e, String... argv) throws Exception {
    return e.run(Command.of(argv), line -> {});
  }

  @Test
  void nativeAmd64AndQemuUserArm64AndArmhfRunTheTargetsBinaries() throws Exception {
    for (Architecture arch : List.of(Architecture.AMD64, Architecture.ARM64, Architecture.ARMHF)) {
      try (Executor e = open(arch, "root-" + arch)) {
        e.preflight();
        assertEquals(arch == Architecture.host() ? "native" : "qemu-user", e.name());
        List<String> lines = new CopyOnWriteArrayList<>();
        CommandResult r = e.run(Command.of("uname", "-m"), lines::add);
        assertEquals(0, r.exitCode(), r.outputTail().toString());
        assertEquals(List.of(arch.unameMachine()), lines);
        // the chroot's kernel filesystems and the policy are there while it runs
        CommandResult mounts =
            run(
                e,
                "sh",
                "-c",
                "cat /proc/self/mounts | while read dev dir rest; do echo $dir; done; ls /dev; ls /usr/sbin; echo \"$QEMU_CPU\"");
        List<String> out = mounts.outputTail();
        for (String expected :
            List.of(
                "/proc",
                "/sys",
                "/dev",
                "/dev/pts",
                "/dev/shm",
                "/run",
                "null",
                "urandom",
                "ptmx",
                "policy-rc.d")) {
          assertTrue(out.contains(expected), expected + " missing in " + out);
        }
        // none of it on the host
        assertEquals(mountsBefore, mountinfo());
        assertEquals(arch == Architecture.ARM64 ? "cortex-a72" : "", out.get(out.size() - 1));
      }
      assertFalse(Files.exists(work.resolve("root-" + arch + "/usr/sbin/policy-rc.d")));
      assertEquals(mountsBefore, mountinfo());
    }
  }

  @Test
  void aHangingCommandIsKilledAtItsTimeoutAndNothingIsLeft() throws Exception {
    try (Executor e = open(Architecture.ARM64, "rootfs")) {
      long t0 = System.nanoTime();
      CommandFailedException ex =
          assertThrows(
              CommandFailedException.class,
              () ->
                  e.run(
                      Command.of("sh", "-c", "echo waiting; sleep 6011")
                          .withTimeout(Duration.ofSeconds(2)),
                      l -> {}));
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15));
      assertTrue(ex.timedOut());
      assertTrue(ex.getMessage().contains("killed at its timeout"), ex.getMessage());
      assertTrue(ex.getMessage().contains("timeout 2 s"), ex.getMessage());
      assertEquals(List.of("waiting"), ex.outputTail());
      assertEquals(List.of(), awaitNoProcessWith("6011"));
      // and the executor still works
      assertEquals(0, run(e, "true").exitCode());
    }
  }

  @Test
  void aFailingCommandCarriesItsExitCodeAndOutputTail() throws Exception {
    try (Executor e = open(Architecture.ARMHF, "rootfs")) {
      CommandResult r = run(e, "sh", "-c", "echo one; echo two >&2; exit 7");
      assertEquals(7, r.exitCode());
      assertEquals(List.of("one", "two"), r.outputTail());
      CommandResult missing = run(e, "no-such-program");
      assertEquals(127, missing.exitCode());
    }
    assertEquals(mountsBefore, mountinfo());
  }

  @Test
  void anInterruptMidCommandKillsItAndUndoesTheMounts() throws Exception {
    Executor e = open(Architecture.ARM64, "rootfs");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread t =
        new Thread(
            () -> {
              try {
                e.run(Command.of("sh", "-c", "echo started; sleep 6012"), lines::add);
              } catch (Throwable x) {
                thrown.set(x);
              } finally {
                try {
                  e.close();
                } catch (ImageBuildException x) {
                  thrown.set(x);
                }
              }
            });
    t.start();
    long deadline = System.currentTimeMillis() + 30_000;
    while (!lines.contains("started") && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(mountsBefore, mountinfo(), "nothing is mounted on the host while it runs");
    assertFalse(awaitProcessWith("6012").isEmpty(), "the command runs");
    t.interrupt();
    t.join(30_000);
    assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
    assertEquals(List.of(), awaitNoProcessWith("6012"));
    assertEquals(mountsBefore, mountinfo());
  }

  @Test
  void aDaemonIsNotStartedAndNoProcessOutlivesTheBuild() throws Exception {
    try (Executor e = open(Architecture.ARM64, "rootfs")) {
      CommandResult r = run(e, "sh", "-c", "/usr/sbin/invoke-rc.d food start");
      assertEquals(0, r.exitCode());
      assertEquals(List.of("invoke-rc.d: policy-rc.d denied execution of start."), r.outputTail());
      // a script that starts something behind the policy's back, in a session of its own
      assertEquals(
          0,
          run(e, "sh", "-c", "setsid sleep 6013 </dev/null >/dev/null 2>&1 & echo $!").exitCode());
    }
    assertEquals(List.of(), awaitNoProcessWith("6013"));
  }

  @Test
  void afterKillMinus9NothingIsLeftAndTheNextBuildSucceeds() throws Exception {
    Path root = BusyboxRoots.create(Architecture.ARM64, work.resolve("rootfs"));
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ChildBuildMain.class.getName(),
                root.toString(),
                "arm64")
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader r =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      List<String> seen = new ArrayList<>();
      String line;
      while ((line = r.readLine()) != null && !line.equals("started")) {
        seen.add(line);
      }
      assertEquals("started", line, "child output: " + seen);
      assertFalse(awaitProcessWith(ChildBuildMain.TOKEN).isEmpty(), "its command runs");
      assertEquals(mountsBefore, mountinfo(), "nothing is mounted on the host");
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hook runs
      child.waitFor(30, TimeUnit.SECONDS);
    }
    // the sandbox dies with the JVM (pdeathsig, then --kill-child takes its PID namespace along)
    assertEquals(List.of(), awaitNoProcessWith(ChildBuildMain.TOKEN));
    assertEquals(mountsBefore, mountinfo());
    assertEquals(List.of(), StaleMountCleaner.clean(work));

    try (Executor e =
        ExecutionStrategies.find("auto", Architecture.ARM64).open(root, Architecture.ARM64)) {
      assertEquals(0, run(e, "true").exitCode());
    }
  }

  @Test
  void withBinfmtDisabledThePreflightFailsNamingTheFixAndMountsNothing() throws Exception {
    Architecture arch =
        Architecture.fromDebianName(System.getProperty("it.binfmt.arch", "riscv64"));
    Path entry = Path.of("/proc/sys/fs/binfmt_misc/" + QemuUserPreflight.registration(arch));
    assertTrue(Files.exists(entry), "setup: " + entry + " must be registered");
    Path root = Files.createDirectories(work.resolve("empty-rootfs"));
    try (Executor e = ExecutionStrategies.find("qemu-user", arch).open(root, arch)) {
      Files.writeString(entry, "0");
      try {
        ImageBuildException ex = assertThrows(ImageBuildException.class, e::preflight);
        assertTrue(ex.getMessage().contains("qemu-user-static"), ex.getMessage());
        assertTrue(ex.getMessage().contains("binfmt-support"), ex.getMessage());
        assertTrue(
            ex.getMessage()
                .contains(
                    "apt-get install -y qemu-user-static binfmt-support && update-binfmts --enable "
                        + QemuUserPreflight.registration(arch)),
            ex.getMessage());
        assertFalse(ex.getMessage().contains("Exec format error"), ex.getMessage());
        // a command without an explicit preflight fails the same way, before any mount
        ImageBuildException viaRun = assertThrows(ImageBuildException.class, () -> run(e, "true"));
        assertTrue(viaRun.getMessage().contains("update-binfmts --enable"), viaRun.getMessage());
        assertEquals(mountsBefore, mountinfo());
      } finally {
        Files.writeString(entry, "1");
      }
      assertTrue(Files.readString(entry).startsWith("enabled"));
      e.preflight();
    }
  }
}
