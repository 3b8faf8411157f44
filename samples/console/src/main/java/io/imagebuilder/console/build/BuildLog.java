package io.imagebuilder.console.build;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The log of one build: each line is appended to {@code build.log} in the build's directory and
 * handed to the live followers; a follower that joins late is given the lines so far first, so it
 * sees every line once, in order. Thread-safe.
 */
public final class BuildLog {
  /** What a follower is told. */
  public interface Follower {
    /** One line, numbered from 1. */
    void line(long number, String text);

    /** The build ended; no more lines follow. */
    void end(BuildStatus status);
  }

  private final Path file;
  private BufferedWriter out;
  private long lines;
  private BuildStatus ended;
  private final List<Follower> followers = new ArrayList<>();

  public BuildLog(Path file) {
    this.file = file;
  }

  /** The log file. */
  public Path file() {
    return file;
  }

  /** Appends a line (a line break in it makes more than one). */
  public synchronized void append(String text) {
    for (String line : text.split("\r?\n", -1)) {
      write(line);
    }
  }

  private void write(String line) {
    if (ended != null) {
      return;
    }
    try {
      if (out == null) {
        Files.createDirectories(file.getParent());
        out =
            Files.newBufferedWriter(
                file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      out.write(line);
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the build log " + file, e);
    }
    lines++;
    notify(f -> f.line(lines, line));
  }

  /** Ends the log: followers are told and let go, later lines are dropped. */
  public synchronized void end(BuildStatus status) {
    if (ended != null) {
      return;
    }
    ended = status;
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the build log " + file, e);
    }
    notify(f -> f.end(status));
    followers.clear();
  }

  /**
   * Adds a follower: it is given the lines so far, then each new one, then the end (at once if the
   * build has ended).
   */
  public synchronized void follow(Follower follower) throws IOException {
    if (Files.exists(file)) {
      long n = 0;
      boolean all = ended != null; // a log of an earlier run of the console: every line of the file
      try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String line = reader.readLine();
            line != null && (all || n < lines);
            line = reader.readLine()) {
          follower.line(++n, line);
        }
      }
    }
    if (ended != null) {
      follower.end(ended);
    } else {
      followers.add(follower);
    }
  }

  /** Stops telling {@code follower}. */
  public synchronized void unfollow(Follower follower) {
    followers.remove(follower);
  }

  private void notify(Consumer<Follower> call) {
    for (Follower f : List.copyOf(followers)) {
      try {
        call.accept(f);
      } catch (RuntimeException e) {
        followers.remove(f); // a follower that went away
      }
    }
  }
}
