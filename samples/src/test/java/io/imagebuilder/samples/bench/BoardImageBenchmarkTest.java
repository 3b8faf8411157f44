package io.imagebuilder.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.manifest.api.Manifest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoardImageBenchmarkTest {
  @Test
  void stageTimesComeFromTheManifestInOrderAndARepeatedTypeIsSummed() {
    String id = "1".repeat(64);
    Manifest manifest =
        Manifest.fromJson(
            "{\"schemaVersion\":1,\"embedded\":false,\"spec\":{},\"specHash\":\""
                + "a".repeat(64)
                + "\",\"build\":{\"stages\":["
                + "{\"type\":\"bench.mmdebstrap\",\"id\":\""
                + id
                + "\",\"durationMillis\":500000},"
                + "{\"type\":\"board.kernel\",\"id\":\""
                + id
                + "\",\"durationMillis\":1500},"
                + "{\"type\":\"board.kernel\",\"id\":\""
                + id
                + "\",\"durationMillis\":500}]}}");
    Map<String, Duration> times = BoardImageBenchmark.stageTimes(manifest);
    assertEquals(List.of("bench.mmdebstrap", "board.kernel"), List.copyOf(times.keySet()));
    assertEquals(Duration.ofSeconds(500), times.get("bench.mmdebstrap"));
    assertEquals(Duration.ofSeconds(2), times.get("board.kernel"));
  }
}
