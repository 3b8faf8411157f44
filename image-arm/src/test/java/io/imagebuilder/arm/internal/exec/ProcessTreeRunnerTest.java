package io.imagebuilder.arm.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.CommandFailedException;
import io.imagebuilder.api.exec.CommandResult;
import io.imagebuilder.internal.process.OutputTail;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real host processes (sh, sleep) through setsid; needs no root. */
class ProcessTreeRunnerTest {
  private final ProcessTreeRunner runner = new ProcessTreeRunner("/usr/bin/setsid");
  private static final Map<String, String> ENV = CommandEnvironment.build(Map.of(), Map.of());

  private CommandResult sh(String script, Duration timeout, List<String> lines) throws Exception {
    return runner.run(
        List.of("/bin/sh", "-c", script),
        ENV,
        timeout,
        List.of("sh", "-c", script),
        lines::add,
        null);
  }

  @Test
  void streamsMergedOutputAndKeepsTheTail() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    CommandResult r =
        sh(
            "i=1; while [ $i -le 50 ]; do echo out $i; echo err $i >&2; i=$((i+1)); done; exit 3",
            Duration.ofSeconds(20),
            lines);
    assertEquals(3, r.exitCode());
    assertEquals(100, lines.size());
    assertEquals(OutputTail.DEFAULT_LINES, r.outputTail().size());
    assertEquals("err 50", r.outputTail().get(r.outputTail().size() - 1));
  }

  @Test
  void environmentIsExactlyTheGivenOneAndStdinIsClosed() throws Exception {
    List<String> lines = new CopyOnWriteArrayList<>();
    CommandResult r = sh("env | sort; cat; echo stdin-done", Duration.ofSeconds(20), lines);
    assertEquals(0, r.exitCode());
    assertEquals(
        List.of(
            "DEBCONF_NONINTERACTIVE_SEEN=true",
            "DEBIAN_FRONTEND=noninteractive",
            "HOME=/root",
            "LC_ALL=C.UTF-8",
            "PATH=" + CommandEnvironment.PATH,
            "stdin-done"),
        // PWD and friends are the shell's own
        lines.stream().filter(l -> !l.matches("(OLD)?PWD=.*|SHLVL=.*|_=.*")).toList());
  }

  @Test
  void aTimeoutKillsTheWholeTreeAndSaysSo(@TempDir Path dir) throws Exception {
    Path pids = dir.resolve("pids");
    String script =
        "sleep 600 & echo $! > "
            + pids
            + "; (sleep 600; true) & echo $! >> "
            + pids
            + "; echo started; wait";
    long t0 = System.nanoTime();
    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () -> sh(script, Duration.ofMillis(700), new CopyOnWriteArrayList<>()));
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos());
    assertTrue(e.timedOut());
    assertEquals(-1, e.exitCode());
    assertTrue(e.getMessage().contains("killed at its timeout"), e.getMessage());
    assertTrue(e.getMessage().contains("700 ms"), e.getMessage());
    assertEquals(List.of("started"), e.outputTail());
    assertAllDead(pids);
  }

  @Test
  void leftoversInTheProcessGroupEndWithTheCommand(@TempDir Path dir) throws Exception {
    Path pids = dir.resolve("pids");
    CommandResult r =
        sh(
            "sleep 600 >/dev/null 2>&1 & echo $! > " + pids,
            Duration.ofSeconds(20),
            new CopyOnWriteArrayList<>());
    assertEquals(0, r.exitCode());
    assertAllDead(pids);
  }

  @Test
  void anInterruptKillsTheTreeAndIsRethrown(@TempDir Path dir) throws Exception {
    Path pids = dir.resolve("pids");
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                sh(
                    "sleep 600 & echo $! > " + pids + "; wait",
                    Duration.ofMinutes(5),
                    new CopyOnWriteArrayList<>());
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    t.start();
    long deadline = System.currentTimeMillis() + 10_000;
    while (!Files.exists(pids) && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    t.interrupt();
    t.join(15_000);
    assertFalse(t.isAlive());
    assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
    assertAllDead(pids);
  }

  @Test
  void humanDurations() {
    assertEquals("700 ms", ProcessTreeRunner.human(Duration.ofMillis(700)));
    assertEquals("5 s", ProcessTreeRunner.human(Duration.ofSeconds(5)));
    assertEquals("60 min", ProcessTreeRunner.human(Duration.ofHours(1)));
  }

  private static void assertAllDead(Path pids) throws Exception {
    List<String> all = Files.readAllLines(pids);
    assertFalse(all.isEmpty());
    long deadline = System.currentTimeMillis() + 5_000;
    for (String pid : all) {
      long p = Long.parseLong(pid.strip());
      while (alive(p) && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertFalse(alive(p), "process " + p + " is still running");
    }
  }

  private static boolean alive(long pid) {
    // a zombie awaiting its reaper counts as gone
    return ProcessHandle.of(pid).isPresent() && !isZombie(pid);
  }

  private static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (Exception e) {
      return true;
    }
  }
}
