package io.imagebuilder.internal.process;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The last lines a command printed, kept for its result and its error message. Thread-safe. */
public final class OutputTail {
  /** Enough to show an apt or dpkg error with its context. */
  public static final int DEFAULT_LINES = 40;

  private final int max;
  private final ArrayDeque<String> lines = new ArrayDeque<>();

  public OutputTail(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("invalid tail size '" + max + "' (expected >= 1)");
    }
    this.max = max;
  }

  public synchronized void add(String line) {
    if (lines.size() == max) {
      lines.removeFirst();
    }
    lines.addLast(line);
  }

  public synchronized List<String> lines() {
    return List.copyOf(new ArrayList<>(lines));
  }
}
