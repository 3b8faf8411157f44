package io.imagebuilder.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimingFileTest {
  @Test
  void aTimingSurvivesTheFile(@TempDir Path dir) throws Exception {
    TimedChild.Timing t =
        new TimedChild.Timing(Duration.ofMillis(612_345), Duration.ofMillis(1_001_002), 234_567, 0);
    Path file = dir.resolve("timing.txt");
    TimingFile.write(file, t);
    assertEquals(t, TimingFile.read(file));
  }

  @Test
  void aMissingOrBadValueIsNamed() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> TimingFile.parse("wallMillis=1\ncpuMillis=2\nexitCode=0\n"))
            .getMessage()
            .startsWith("timing has no maxRssKiB"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> TimingFile.parse("wallMillis=soon\n"))
            .getMessage()
            .startsWith("invalid timing line 'wallMillis=soon'"));
  }
}
