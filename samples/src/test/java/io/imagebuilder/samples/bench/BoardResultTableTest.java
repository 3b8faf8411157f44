package io.imagebuilder.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BoardResultTableTest {
  private static final BoardResultTable.Conditions CONDITIONS =
      new BoardResultTable.Conditions(
          "qemu-arm64 disk image", "mmdebstrap then the same stages", "2 cores", "-Xmx512m");

  private static Map<String, Duration> stages(Object... typeAndSeconds) {
    Map<String, Duration> m = new LinkedHashMap<>();
    for (int i = 0; i < typeAndSeconds.length; i += 2) {
      m.put((String) typeAndSeconds[i], Duration.ofSeconds((Integer) typeAndSeconds[i + 1]));
    }
    return m;
  }

  private static BoardResultTable.Side ours(int wallSeconds, List<String> packages) {
    Measurement m =
        new Measurement(
            Duration.ofSeconds(wallSeconds),
            Duration.ofSeconds(400),
            700 * 1024,
            OptionalLong.of(300 * 1024),
            1536L * 1024 * 1024);
    return new BoardResultTable.Side(
        "imagebuilder",
        m,
        stages(
            "rootfs.bootstrap",
            50,
            "rootfs.sources",
            1,
            "rootfs.packages",
            50,
            "board.kernel",
            180,
            "disk.assemble",
            20),
        packages);
  }

  private static BoardResultTable.Side peer(List<String> packages) {
    Measurement m =
        new Measurement(
            Duration.ofSeconds(600), Duration.ofSeconds(800), 350 * 1024, OptionalLong.empty(), -1);
    return new BoardResultTable.Side(
        "peer",
        m,
        stages(
            "bench.mmdebstrap", 500, "rootfs.sources", 1, "board.kernel", 10, "disk.assemble", 20),
        packages);
  }

  @Test
  void bothBuildsSideBySideWithRatiosAndTheTarget() {
    TimedChild.Timing mm =
        new TimedChild.Timing(Duration.ofMillis(500_400), Duration.ofSeconds(700), 200 * 1024, 0);
    String table =
        BoardResultTable.format(
            CONDITIONS, ours(300, List.of("a", "b")), peer(List.of("b", "a")), mm);
    List<String> lines = table.lines().toList();
    assertEquals("qemu-arm64 disk image", lines.get(0));
    assertEquals("peer: mmdebstrap then the same stages", lines.get(1));
    assertEquals("2 cores; both JVMs -Xmx512m", lines.get(2));
    assertEquals(
        "imagebuilder                    300.0s    400.0s   700 MiB   300 MiB  1536 MiB",
        lines.get(4));
    assertEquals(
        "peer                            600.0s    800.0s   350 MiB         -         -",
        lines.get(5));
    assertEquals(
        "  of which mmdebstrap           500.4s    700.0s   200 MiB         -         -",
        lines.get(6));
    assertEquals("imagebuilder / peer              0.50x     0.50x", lines.get(7));
    assertTrue(table.contains("packages: the same 2 in both images\n"), table);
    assertTrue(
        table.contains("target: imagebuilder wall <= 0.4x the peer's: 0.50x NOT met\n"), table);
    assertTrue(
        table.endsWith("target: peak RSS <= 512 MiB in every build: 700 MiB NOT met\n"), table);
  }

  @Test
  void aMissedTargetSaysSo() {
    String table = BoardResultTable.format(CONDITIONS, ours(420, List.of()), peer(List.of()), null);
    assertTrue(
        table.contains("target: imagebuilder wall <= 0.4x the peer's: 0.70x NOT met\n"), table);
    assertTrue(!table.contains("of which mmdebstrap"), table);
  }

  @Test
  void aWarmRebuildIsComparedToOurColdBuild() {
    Measurement fast =
        new Measurement(
            Duration.ofSeconds(30), Duration.ofSeconds(20), 400 * 1024, OptionalLong.empty(), 1);
    BoardResultTable.Side warm =
        new BoardResultTable.Side("imagebuilder +less warm", fast, Map.of(), List.of());
    BoardResultTable.Side cold = ours(200, List.of());
    String table = BoardResultTable.format(CONDITIONS, cold, peer(List.of()), null, warm);
    assertTrue(table.contains("target: imagebuilder wall <= 0.4x the peer's: 0.33x met\n"), table);
    assertTrue(table.contains("imagebuilder +less warm          30.0s     20.0s   400 MiB"), table);
    assertTrue(
        table.contains("target: imagebuilder +less warm wall <= 0.2x imagebuilder's: 0.15x met\n"),
        table);
    // the cold build's 700 MiB is still the peak
    assertTrue(
        table.endsWith("target: peak RSS <= 512 MiB in every build: 700 MiB NOT met\n"), table);
  }

  @Test
  void stagesOfEitherSideInTheOrderTheyRan() {
    String s = BoardResultTable.stages(ours(300, List.of()), peer(List.of()));
    assertEquals(
        List.of(
            "stage (s)                    imagebuilder         peer",
            "  bench.mmdebstrap                      -        500.0",
            "  rootfs.bootstrap                   50.0            -",
            "  rootfs.sources                      1.0          1.0",
            "  rootfs.packages                    50.0            -",
            "  board.kernel                      180.0         10.0",
            "  disk.assemble                      20.0         20.0"),
        s.lines().toList());
  }

  @Test
  void differentPackageSetsAreListed() {
    String s =
        BoardResultTable.packages(ours(300, List.of("a", "b", "c")), peer(List.of("a", "d")));
    assertEquals(
        "packages: imagebuilder 3, peer 2; only in imagebuilder: b c; only in the peer: d\n", s);
  }
}
