package io.imagebuilder.internal.engine;

import io.imagebuilder.api.event.BuildEvent;
import io.imagebuilder.api.event.CommandOutput;
import io.imagebuilder.api.event.LogLine;
import io.imagebuilder.internal.io.AtomicFiles;
import io.imagebuilder.internal.log.Logs;
import io.imagebuilder.internal.validate.Secrets;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Writes each started stage's log beside the artifacts: {@code <outputDir>/logs/<NN>-<stage
 * type>.log}, NN its 1-based position in the plan, zero-padded to two digits (more for plans of 100
 * stages or more). A log holds the stage's {@link LogLine}s, the commands it ran with their output
 * ({@link CommandOutput}), and how it ended: the duration, or the error with its causes and stack
 * trace. Each line starts with the seconds since the build started; the header gives the wall-clock
 * start. Progress events are left out.
 *
 * <p>A stage's log is written under a temporary name ({@link AtomicFiles}) while the stage runs and
 * renamed when it ends, after success and after failure or cancellation. What its cleanup reports
 * later (which runs after the last stage) is appended to the renamed file. Logs are for people, not
 * artifacts: they are not reproducible. A log that cannot be written is reported once (SLF4J and a
 * warning line) and the build goes on: it never hides the build's own outcome. Thread-safe.
 */
final class StageLogs {
  /** The directory under the output directory. */
  static final String DIR = "logs";

  private static final Logger LOG = Logs.get(StageLogs.class);

  private final Path dir;
  private final long buildStartNanos;
  private final Instant buildStart;
  private final Consumer<String> warn;
  private Writer writer;
  private Path part;
  private Path file;
  private boolean appending;
  private boolean broken;

  /**
   * @param warn told once, in words, when logs cannot be written
   */
  StageLogs(Path outputDir, long buildStartNanos, Instant buildStart, Consumer<String> warn) {
    this.dir = outputDir.resolve(DIR);
    this.buildStartNanos = buildStartNanos;
    this.buildStart = buildStart;
    this.warn = warn;
  }

  /**
   * Removes the stage logs an earlier build left in the output directory (the build holds the
   * directory's lock, so they are not another running build's): the logs then always belong to one
   * build, never a failed build's first stages beside a good build's last ones.
   */
  void clearEarlierBuilds() {
    try {
      for (Path f : files()) {
        Files.delete(f);
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  /**
   * The stage logs in the output directory, in stage order: after a build, that build's.
   *
   * @throws IOException when the directory cannot be listed
   */
  List<Path> files() throws IOException {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return found;
    }
    try (java.nio.file.DirectoryStream<Path> files =
        Files.newDirectoryStream(dir, "[0-9]*-*.log")) {
      for (Path f : files) {
        if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          found.add(f);
        }
      }
    }
    found.sort(null);
    return found;
  }

  /** The log's path relative to the output directory, e.g. {@code logs/03-rootfs.packages.log}. */
  static String relativePath(int index, int count, String stageType) {
    int width = Math.max(2, String.valueOf(count).length());
    String safeType = stageType.replaceAll("[^A-Za-z0-9._-]", "_");
    return DIR
        + "/"
        + String.format(Locale.ROOT, "%0" + width + "d", index)
        + "-"
        + safeType
        + ".log";
  }

  /** A stage starts: its log opens under a temporary name. */
  synchronized void started(int index, int count, String type, String id, String summary) {
    endAbruptly();
    file = dir.getParent().resolve(relativePath(index, count, type));
    part = null;
    appending = false;
    if (broken) {
      return;
    }
    try {
      Files.createDirectories(dir);
      part = AtomicFiles.createTemporary(file);
      writer = open(part, false);
      writer.write("# stage " + index + " of " + count + ": " + type + "\n");
      writer.write("# id " + id + "\n");
      if (summary != null && !summary.isBlank()) {
        writer.write("# " + Secrets.redact(summary) + "\n");
      }
      writer.write(
          "# build started " + buildStart + "; each line starts with the seconds since then\n");
      line("stage started");
    } catch (IOException | SecurityException e) {
      fail(e);
    }
  }

  /** One event of the running stage (or of its cleanup); other events are ignored. */
  synchronized void record(BuildEvent event) {
    if (event instanceof LogLine l) {
      write(() -> line(l.level() == LogLine.Level.WARNING ? "W: " + l.message() : l.message()));
    } else if (event instanceof CommandOutput o) {
      write(() -> line("  | " + o.line()));
    }
  }

  /** A command the stage runs, before its output. */
  synchronized void command(List<String> argv) {
    write(() -> line("$ " + String.join(" ", argv)));
  }

  /** The stage succeeded: the log gets its final name. */
  synchronized void finished(Duration took) {
    write(() -> line("stage finished after " + seconds(took) + " s"));
    finish();
  }

  /** The stage failed or was cancelled: the log ends with the error, then gets its final name. */
  synchronized void failed(Duration took, String outcome, Throwable error) {
    write(
        () -> {
          line("stage " + outcome + " after " + seconds(took) + " s: " + error.getMessage());
          StringWriter trace = new StringWriter();
          error.printStackTrace(new PrintWriter(trace));
          writer.write(Secrets.redact(trace.toString().replace(System.lineSeparator(), "\n")));
        });
    finish();
  }

  /**
   * The cleanup of the stage whose log is {@code relativePath} begins: what it reports is appended
   * to that log, which is opened only if there is something to write.
   */
  synchronized void cleanupStarted(String relativePath) {
    endAbruptly();
    file = dir.getParent().resolve(relativePath);
    part = null;
    appending = true;
  }

  /** The cleanup failed: the error goes to the stage's log. */
  synchronized void cleanupFailed(Throwable error) {
    write(() -> line("cleanup failed: " + error.getMessage()));
  }

  /** The build is over: nothing more is written. */
  synchronized void close() {
    endAbruptly();
    file = null;
  }

  /** A stage's log still open was neither finished nor failed (an Error unwound the engine). */
  private void endAbruptly() {
    if (writer != null && !appending) {
      write(() -> line("stage ended without a result"));
      finish();
    }
    closeQuietly();
  }

  private interface LogWrite {
    void run() throws IOException;
  }

  /** Runs {@code body} against the open log, opening a cleanup's log first; never throws. */
  private void write(LogWrite body) {
    if (broken || file == null) {
      return;
    }
    try {
      if (writer == null && appending) {
        writer = open(file, true);
        line("cleanup");
      }
      if (writer != null) {
        body.run();
      }
    } catch (IOException | UncheckedIOException | SecurityException e) {
      fail(e);
    }
  }

  /**
   * A stream, not a channel: a cancelled build's thread is interrupted, and an interrupt would
   * close a channel under the very write that records the cancellation.
   */
  private static Writer open(Path path, boolean append) throws IOException {
    return new BufferedWriter(
        new OutputStreamWriter(
            new FileOutputStream(path.toFile(), append), StandardCharsets.UTF_8));
  }

  private void line(String text) throws IOException {
    long millis = Duration.ofNanos(System.nanoTime() - buildStartNanos).toMillis();
    String stamp = String.format(Locale.ROOT, "[%8d.%03d] ", millis / 1000, millis % 1000);
    for (String l : text.split("\n", -1)) {
      writer.write(stamp);
      writer.write(Secrets.redact(l));
      writer.write('\n');
    }
  }

  private void finish() {
    Writer w = writer;
    writer = null;
    if (w == null || broken) {
      return;
    }
    try {
      w.close();
      AtomicFiles.commit(part, file);
    } catch (IOException | SecurityException e) {
      fail(e);
    }
  }

  private void closeQuietly() {
    Writer w = writer;
    writer = null;
    if (w != null) {
      try {
        w.close();
      } catch (IOException e) {
        fail(e);
      }
    }
  }

  private void fail(Exception e) {
    if (broken) {
      return;
    }
    broken = true;
    String message =
        "cannot write the stage logs to " + dir + ": " + e + " (the build goes on without them)";
    LOG.warn(message, e);
    try {
      warn.accept(message);
    } catch (RuntimeException ignored) {
      // A listener's failure must not turn a log problem into a build failure.
    }
  }

  private static String seconds(Duration d) {
    long millis = d.toMillis();
    return String.format(Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
  }
}
