package io.imagebuilder.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTailTest {
  @Test
  void keepsOnlyTheLastLinesInOrder() {
    OutputTail t = new OutputTail(3);
    for (int i = 1; i <= 5; i++) {
      t.add("line " + i);
    }
    assertEquals(List.of("line 3", "line 4", "line 5"), t.lines());
  }

  @Test
  void fewerLinesThanTheLimitAreAllKept() {
    OutputTail t = new OutputTail(OutputTail.DEFAULT_LINES);
    t.add("only");
    assertEquals(List.of("only"), t.lines());
  }

  @Test
  void rejectsAnEmptyTail() {
    assertThrows(IllegalArgumentException.class, () -> new OutputTail(0));
  }
}
