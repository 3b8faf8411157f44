package io.imagebuilder.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LinePumpTest {
  @Test
  void everyLineReachesTheTailAndTheConsumer() {
    List<String> seen = new CopyOnWriteArrayList<>();
    OutputTail tail = new OutputTail(2);
    LinePump pump =
        LinePump.start(
            new ByteArrayInputStream("a\nb\r\nc".getBytes(StandardCharsets.UTF_8)),
            tail,
            seen::add,
            "t");
    pump.stop(Duration.ofSeconds(5));
    assertTrue(pump.done());
    assertEquals(List.of("a", "b", "c"), seen);
    assertEquals(List.of("b", "c"), tail.lines());
  }

  @Test
  void aFailingConsumerDoesNotStopTheReading() {
    OutputTail tail = new OutputTail(10);
    List<String> seen = new ArrayList<>();
    LinePump pump =
        LinePump.start(
            new ByteArrayInputStream("1\n2\n".getBytes(StandardCharsets.UTF_8)),
            tail,
            line -> {
              seen.add(line);
              throw new IllegalStateException("listener bug");
            },
            "t");
    pump.stop(Duration.ofSeconds(5));
    assertEquals(List.of("1", "2"), tail.lines());
    assertEquals(2, seen.size());
  }

  @Test
  void afterStopLinesAreDrainedButNotForwarded() throws Exception {
    PipedOutputStream writer = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(writer);
    OutputTail tail = new OutputTail(10);
    LinePump pump = LinePump.start(in, tail, null, "t");
    writer.write("before\n".getBytes(StandardCharsets.UTF_8));
    writer.flush();
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (tail.lines().isEmpty() && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    pump.stop(Duration.ofMillis(50));
    writer.write("after\n".getBytes(StandardCharsets.UTF_8));
    writer.close();
    Thread.sleep(100);
    assertEquals(List.of("before"), tail.lines());
  }
}
