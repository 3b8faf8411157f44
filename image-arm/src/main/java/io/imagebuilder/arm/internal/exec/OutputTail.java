package io.imagebuilder.arm.internal.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The last lines a command printed, kept for its result and its error message. Thread-safe. */
final class OutputTail {
  /** Enough to show an apt or dpkg error with its context. */
  static final int DEFAULT_LINES = 40;

  private final int max;
  private final ArrayDeque<String> lines = new ArrayDeque<>();

  OutputTail(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("invalid tail size '" + max + "' (expected >= 1)");
    }
    this.max = max;
  }

  synchronized void add(String line) {
    if (lines.size() == max) {
      lines.removeFirst();
    }
    lines.addLast(line);
  }

  synchronized List<String> lines() {
    return List.copyOf(new ArrayList<>(lines));
  }
}
