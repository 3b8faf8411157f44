package io.imagebuilder.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoardBenchmarkOptionsTest {
  @Test
  void defaultsAreOpensshServerTheLaunchersJvmAndAWorkDirNamedByPid() {
    BoardBenchmarkOptions o =
        BoardBenchmarkOptions.parse(new String[] {"--board", "qemu-arm64"}, 42);
    assertEquals("qemu-arm64", o.board());
    assertEquals(List.of("openssh-server"), o.packages());
    assertEquals(Path.of("/var/tmp/ib-board-bench-42"), o.work());
    assertEquals(Path.of("samples/target/imagebuilder.jar"), o.jar());
    assertEquals("-XX:+UseSerialGC -Xms64m -Xmx512m", o.jvm());
    assertFalse(o.keep());
  }

  @Test
  void everyFlagIsRead() {
    BoardBenchmarkOptions o =
        BoardBenchmarkOptions.parse(
            new String[] {
              "--board",
              "pc-amd64",
              "-p",
              "openssh-server, curl",
              "--jar",
              "x.jar",
              "--work",
              "/tmp/w",
              "--xmx",
              "1g",
              "--java-opts",
              " -XX:+UseG1GC ",
              "--keep"
            },
            1);
    assertEquals("pc-amd64", o.board());
    assertEquals(List.of("openssh-server", "curl"), o.packages());
    assertEquals(Path.of("x.jar"), o.jar());
    assertEquals(Path.of("/tmp/w"), o.work());
    assertEquals("-XX:+UseG1GC -Xmx1g", o.jvm());
    assertTrue(o.keep());
  }

  @Test
  void emptyJavaOptionsLeaveOnlyTheHeapLimit() {
    BoardBenchmarkOptions o =
        BoardBenchmarkOptions.parse(new String[] {"--board", "b", "--java-opts", ""}, 1);
    assertEquals(List.of(), o.javaOptions());
    assertEquals("-Xmx512m", o.jvm());
  }

  @Test
  void badInputIsQuoted() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> BoardBenchmarkOptions.parse(new String[] {}, 1))
            .getMessage()
            .startsWith("missing --board"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    BoardBenchmarkOptions.parse(
                        new String[] {"--board", "b", "--arch", "arm64"}, 1))
            .getMessage()
            .startsWith("unknown argument '--arch'"));
    assertEquals(
        "'--board' needs a value",
        assertThrows(
                IllegalArgumentException.class,
                () -> BoardBenchmarkOptions.parse(new String[] {"--board"}, 1))
            .getMessage());
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    BoardBenchmarkOptions.parse(new String[] {"--board", "b", "--xmx", "lots"}, 1))
            .getMessage()
            .startsWith("invalid --xmx 'lots'"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> BoardBenchmarkOptions.parse(new String[] {"--board", "b", "-p", "a,,b"}, 1))
            .getMessage()
            .startsWith("invalid package list 'a,,b'"));
  }
}
