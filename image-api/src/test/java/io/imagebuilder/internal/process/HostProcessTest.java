package io.imagebuilder.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.CommandFailedException;
import io.imagebuilder.api.exec.CommandResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostProcessTest {
  @TempDir Path temp;

  @Test
  void aBareProgramNameIsLookedUpOnTheHostPathNotTheJvms() {
    // the JVM of an ordinary user has no sbin on its PATH; sfdisk is in /usr/sbin
    assertEquals(
        HostTools.find("sh").orElseThrow().toString(),
        HostProcess.resolved(List.of("sh", "-c", "true")).get(0));
    assertEquals(List.of("/bin/true", "x"), HostProcess.resolved(List.of("/bin/true", "x")));
    assertEquals(List.of("no-such-tool-here"), HostProcess.resolved(List.of("no-such-tool-here")));
  }

  @Test
  void theEnvironmentIsTheFixedOnePlusWhatTheCallerNames() throws Exception {
    List<String> lines = new ArrayList<>();
    HostProcess.Result r =
        HostProcess.of("env").env("EXTRA", "1").env(Map.of("LC_ALL", "C")).run(lines::add);

    assertTrue(r.ok());
    assertEquals(
        List.of("EXTRA=1", "LC_ALL=C", "PATH=" + HostProcess.PATH, "TZ=UTC"),
        lines.stream().sorted().toList());
  }

  @Test
  void stdinIsEmptyAndTheWorkingDirectoryIsTheJvms() throws Exception {
    HostProcess.Result r = HostProcess.of("sh", "-c", "pwd -P; cat; echo end").runToEnd();
    assertEquals(Path.of("").toAbsolutePath().toRealPath() + "\nend", r.output());
  }

  @Test
  void errorsAreMergedUnlessSeparateAndRunToEndKeepsEveryLine() throws Exception {
    HostProcess.Result r =
        HostProcess.of(
                "sh", "-c", "i=0; while [ $i -lt 30 ]; do echo $i; i=$((i+1)); done; echo err >&2")
            .runToEnd();
    assertEquals(31, r.tail().size());
    assertEquals("err", r.tail().get(30));

    Process p = HostProcess.of("sh", "-c", "echo out; echo err >&2").separateErrors().start();
    assertEquals("out\n", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    assertEquals("err\n", new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    p.waitFor();
  }

  @Test
  void runStreamsEveryLineAndKeepsTheTail() throws Exception {
    List<String> lines = new ArrayList<>();
    HostProcess.Result r = HostProcess.of("seq", "1", "50").run(lines::add);
    assertEquals(50, lines.size());
    assertEquals(HostProcess.TAIL_LINES, r.tail().size());
    assertEquals("50", r.tail().get(r.tail().size() - 1));
  }

  @Test
  void aStdinPipeIsTheCallersToWrite() throws Exception {
    Process p = HostProcess.of("cat").stdinPipe().start();
    try (OutputStream in = p.getOutputStream()) {
      in.write("fed".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals("fed", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    p.waitFor();
  }

  @Test
  void outputCanGoToAFile() throws Exception {
    Path log = temp.resolve("log");
    HostProcess.Result r =
        HostProcess.of("sh", "-c", "echo to-file; echo err >&2").outputTo(log).run(line -> {});
    assertTrue(r.ok());
    assertEquals("to-file\nerr\n", Files.readString(log));
  }

  @Test
  void theTimeoutKillsTheProcessAndItsChildren() throws Exception {
    Path pidFile = temp.resolve("child.pid");
    HostProcess.Result r =
        HostProcess.of("sh", "-c", "sleep 60 & echo $! > " + pidFile + "; wait")
            .timeout(Duration.ofMillis(500))
            .run(line -> {});

    assertTrue(r.timedOut());
    assertEquals(-1, r.exitCode());
    assertFalse(r.ok());
    assertTrue(r.output().endsWith("(killed at its timeout)"), r.output());
    long child = Long.parseLong(Files.readString(pidFile).strip());
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (running(child) && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertFalse(running(child), "the child was killed too");
  }

  /** Alive and not a zombie (a killed orphan waits for whoever reaps it here). */
  private static boolean running(long pid) throws IOException {
    Path stat = Path.of("/proc/" + pid + "/stat");
    if (!Files.exists(stat)) {
      return false;
    }
    String s = Files.readString(stat);
    return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
  }

  @Test
  void anInterruptKillsTheProcessAndIsRethrown() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                HostProcess.of("sleep", "60").run(line -> {});
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    long start = System.nanoTime();
    t.start();
    Thread.sleep(300);
    t.interrupt();
    t.join(15_000);
    assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 15);
  }

  @Test
  void runToEndWaitsThroughAnInterruptAndSetsTheFlagAgain() throws Exception {
    AtomicReference<HostProcess.Result> result = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                result.set(HostProcess.of("sh", "-c", "sleep 1; echo done").runToEnd());
                flag.set(Thread.currentThread().isInterrupted());
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    t.start();
    Thread.sleep(200);
    t.interrupt();
    t.join(15_000);
    assertEquals("done", result.get().output());
    assertTrue(flag.get());
  }

  @Test
  void checkRequiresExitZeroAndQuotesTheTail() throws Exception {
    CommandResult ok = HostProcess.of("true").check(line -> {});
    assertEquals(0, ok.exitCode());

    CommandFailedException e =
        assertThrows(
            CommandFailedException.class,
            () -> HostProcess.of("sh", "-c", "echo why; exit 3").check(line -> {}));
    assertEquals(3, e.exitCode());
    assertEquals(List.of("why"), e.outputTail());

    CommandFailedException missing =
        assertThrows(
            CommandFailedException.class,
            () -> HostProcess.of("/nonexistent/tool").check(line -> {}));
    assertEquals(-1, missing.exitCode());
    assertTrue(missing.getMessage().contains("could not start"), missing.getMessage());

    CommandFailedException slow =
        assertThrows(
            CommandFailedException.class,
            () -> HostProcess.of("sleep", "60").timeout(Duration.ofMillis(300)).check(line -> {}));
    assertTrue(slow.timedOut());
  }

  @Test
  void awaitEndWaitsThroughAnInterruptAtMostTheTimeGiven() throws Exception {
    Process p = HostProcess.of("sleep", "60").start();
    Thread.currentThread().interrupt();
    long start = System.nanoTime();
    HostProcess.awaitEnd(p, Duration.ofMillis(300));
    assertTrue(Thread.interrupted(), "the flag is set again");
    assertTrue(p.isAlive());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 250);
    HostProcess.kill(p);
    assertFalse(p.isAlive());
  }

  @Test
  void badArgumentsAreCallerMistakes() {
    assertThrows(IllegalArgumentException.class, () -> HostProcess.of(List.of()));
    assertThrows(
        IllegalArgumentException.class, () -> HostProcess.of("true").timeout(Duration.ZERO));
  }
}
