package io.imagebuilder.samples.cli;

import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.event.BuildFinished;
import io.imagebuilder.api.event.CommandOutput;
import io.imagebuilder.api.event.LogLine;
import io.imagebuilder.api.event.Progress;
import io.imagebuilder.api.event.StageFailed;
import io.imagebuilder.api.event.StageFinished;
import io.imagebuilder.api.event.StageStarted;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns build events into lines on stderr. On a terminal: a line per stage ({@code [3/9]
 * rootfs.packages: install openssh-server}) and a progress bar per progress label, redrawn in place
 * with {@code \r}. Elsewhere (a pipe, a log file, CI): plain lines only, progress at 0, 25, 50, 75
 * and 100 %, stage durations, never {@code \r}. Command output is shown only when verbose.
 *
 * <p>Events come from build threads, so every handler is synchronized.
 */
final class ProgressPrinter {
  private static final int BAR_WIDTH = 24;
  private static final int[] MILESTONES = {0, 25, 50, 75, 100};

  private final PrintWriter err;
  private final boolean terminal;
  private final boolean verbose;
  private final int columns;

  /** "[3/9]" of each started stage, by stage id, for its finished/failed line. */
  private final Map<String, String> positions = new HashMap<>();

  /**
   * Plain mode: the last milestone printed per label, and the last done value (to see restarts).
   */
  private final Map<String, long[]> milestones = new HashMap<>();

  /** Terminal mode: the label and text of the bar on the current line, or null. */
  private String barLabel;

  private String barText;

  /**
   * @param err where the lines go (the CLI's stderr)
   * @param terminal whether {@code err} is an interactive terminal that understands {@code \r}
   * @param verbose whether to show the output of commands run in the target
   * @param columns the terminal's width; bar lines are cut to fit
   */
  ProgressPrinter(PrintWriter err, boolean terminal, boolean verbose, int columns) {
    this.err = err;
    this.terminal = terminal;
    this.verbose = verbose;
    this.columns = Math.max(40, columns);
  }

  /** Registers this printer's listeners on {@code run}. */
  RunConfiguration attachTo(RunConfiguration run) {
    return run.onEvent(StageStarted.class, this::stageStarted)
        .onEvent(StageFinished.class, this::stageFinished)
        .onEvent(StageFailed.class, this::stageFailed)
        .onEvent(Progress.class, this::progress)
        .onEvent(LogLine.class, this::log)
        .onEvent(CommandOutput.class, this::commandOutput)
        .onEvent(BuildFinished.class, this::buildFinished);
  }

  synchronized void stageStarted(StageStarted e) {
    String position = "[" + e.index() + "/" + e.count() + "]";
    positions.put(e.stageId(), position);
    line(position + " " + e.stageType() + ": " + e.summary());
  }

  synchronized void stageFinished(StageFinished e) {
    if (!terminal) {
      line(position(e.stageId()) + e.stageType() + " done in " + Durations.human(e.duration()));
    }
  }

  synchronized void stageFailed(StageFailed e) {
    line(position(e.stageId()) + e.stageType() + " failed after " + Durations.human(e.duration()));
  }

  synchronized void progress(Progress e) {
    if (terminal) {
      drawBar(e);
    } else {
      plainProgress(e);
    }
  }

  synchronized void log(LogLine e) {
    line((e.level() == LogLine.Level.WARNING ? "warning: " : "") + e.message());
  }

  synchronized void commandOutput(CommandOutput e) {
    if (verbose) {
      line("  | " + e.line());
    }
  }

  synchronized void buildFinished(BuildFinished e) {
    endBar();
    String how =
        switch (e.outcome()) {
          case SUCCEEDED -> "Build succeeded in ";
          case FAILED -> "Build failed after ";
          case CANCELLED -> "Build cancelled after ";
        };
    line(how + Durations.human(e.duration()));
  }

  private String position(String stageId) {
    String p = positions.get(stageId);
    return p == null ? "" : p + " ";
  }

  /** Prints a whole line; on a terminal the bar is lifted off first and drawn again below it. */
  private void line(String text) {
    if (barText != null) {
      err.print("\r" + " ".repeat(barText.length()) + "\r");
    }
    err.println(text);
    if (barText != null) {
      err.print(barText);
    }
    err.flush();
  }

  private void drawBar(Progress e) {
    if (barLabel != null && !barLabel.equals(e.label())) {
      endBar();
    }
    String text = fit(renderBar(e));
    String clear =
        barText != null && barText.length() > text.length()
            ? " ".repeat(barText.length() - text.length())
            : "";
    err.print("\r" + text + clear);
    barLabel = e.label();
    barText = text;
    if (e.total() >= 0 && e.done() >= e.total()) {
      endBar();
    }
    err.flush();
  }

  /** Leaves the current bar as it is and moves to a fresh line. */
  private void endBar() {
    if (barText != null) {
      err.println();
      err.flush();
    }
    barLabel = null;
    barText = null;
  }

  private String renderBar(Progress e) {
    boolean bytes = countsBytes(e);
    if (e.total() <= 0) {
      String amount = bytes ? Sizes.human(e.done()) : Long.toString(e.done());
      return "[" + " ".repeat(BAR_WIDTH) + "] " + amount + "  " + e.label();
    }
    int pct = percent(e.done(), e.total());
    int filled = (int) ((long) BAR_WIDTH * Math.min(e.done(), e.total()) / e.total());
    String bar =
        filled >= BAR_WIDTH
            ? "=".repeat(BAR_WIDTH)
            : "=".repeat(filled) + ">" + " ".repeat(BAR_WIDTH - filled - 1);
    return String.format(Locale.ROOT, "[%s] %3d%% %s  %s", bar, pct, amount(e, bytes), e.label());
  }

  private String fit(String text) {
    return text.length() < columns ? text : text.substring(0, columns - 1);
  }

  private void plainProgress(Progress e) {
    long[] state = milestones.get(e.label());
    if (state != null && e.done() < state[1]) {
      state = null; // the label started over
    }
    boolean bytes = countsBytes(e);
    if (e.total() < 0) {
      if (state == null) {
        line(e.label() + ": started");
        milestones.put(e.label(), new long[] {0, e.done()});
      } else {
        state[1] = e.done();
      }
      return;
    }
    int pct = percent(e.done(), e.total());
    int reached = 0;
    for (int m : MILESTONES) {
      if (pct >= m) {
        reached = m;
      }
    }
    if (state == null || reached > state[0]) {
      line(e.label() + ": " + reached + "% (" + amount(e, bytes) + ")");
      state = new long[] {reached, e.done()};
      milestones.put(e.label(), state);
    }
    state[1] = e.done();
    if (reached == 100) {
      milestones.remove(e.label()); // a later round under the same label prints again
    }
  }

  private static String amount(Progress e, boolean bytes) {
    return bytes ? Sizes.pair(e.done(), e.total()) : e.done() + "/" + e.total();
  }

  private static int percent(long done, long total) {
    if (total <= 0) {
      return 100;
    }
    return (int) Math.min(100, Math.max(0, done * 100 / total));
  }

  private static boolean countsBytes(Progress e) {
    return e.unit() == Progress.Unit.BYTES;
  }
}
