package io.imagebuilder.samples.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ResultTableTest {
  private static BootstrapBenchmark.ResultRow row(
      String arch, String tool, String cache, int seconds, int rssMib) {
    return new BootstrapBenchmark.ResultRow(
        arch,
        tool,
        cache,
        new Measurement(
            Duration.ofSeconds(seconds),
            Duration.ofSeconds(seconds),
            rssMib * 1024L,
            OptionalLong.empty(),
            50L * 1024 * 1024));
  }

  @Test
  void theRootlessRowStandsBesideTheRootBuildsAndEveryOneOfOursCountsForTheRssTarget() {
    String table =
        ResultTable.format(
            List.of(
                row("amd64", "imagebuilder", "cold", 12, 400),
                row("amd64", "imagebuilder", "warm", 5, 380),
                row("amd64", BootstrapBenchmark.ROOTLESS_TOOL, "cold", 14, 530),
                row("amd64", "mmdebstrap", "none", 16, 90),
                row("arm64", "imagebuilder", "cold", 46, 400),
                row("arm64", "mmdebstrap", "none", 100, 90)),
            "1.00 1.00 1.00",
            "2.00 2.00 2.00",
            "512m");
    assertTrue(table.contains("amd64  ib rootless   cold      14.0s    0.88x"), table);
    assertTrue(table.contains("  amd64 cold <= 0.80x mmdebstrap: 0.75x met\n"), table);
    // 0.46x is over 0.45x, which one decimal would print as 0.5x
    assertTrue(table.contains("  arm64 cold <= 0.45x mmdebstrap: 0.46x NOT met\n"), table);
    assertTrue(table.contains("  amd64 warm <= 0.5x cold: 0.42x met\n"), table);
    assertTrue(table.endsWith("  peak RSS of our builds <= 512 MiB: 530 MiB NOT met\n"), table);
  }
}
