package io.imagebuilder.internal.process;

import io.imagebuilder.internal.log.Logs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Reads a process's output line by line on a daemon thread into an {@link OutputTail} and a
 * consumer, until the end of the stream or until told to stop. After {@link #stop} it keeps
 * draining without forwarding, so a leftover writer never blocks on a full pipe. A consumer that
 * throws is logged once and not called again for that line; the reading goes on.
 */
public final class LinePump implements Runnable {
  private static final Logger LOG = Logs.get(LinePump.class);

  private final InputStream in;
  private final OutputTail tail;
  private final Consumer<String> output;
  private volatile boolean forwarding = true;
  private volatile boolean done;
  private boolean consumerFailed;

  private LinePump(InputStream in, OutputTail tail, Consumer<String> output) {
    this.in = in;
    this.tail = tail;
    this.output = output;
  }

  /**
   * Starts pumping {@code in} (a process's merged output) on a daemon thread named {@code name}.
   */
  public static LinePump start(
      InputStream in, OutputTail tail, Consumer<String> output, String name) {
    LinePump pump = new LinePump(in, tail, output);
    Thread reader = new Thread(pump, name);
    reader.setDaemon(true);
    reader.start();
    return pump;
  }

  @Override
  public void run() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!forwarding) {
          continue;
        }
        tail.add(line);
        if (output != null) {
          try {
            output.accept(line);
          } catch (RuntimeException e) {
            if (!consumerFailed) {
              LOG.warn("output consumer failed: {}", e.toString());
              consumerFailed = true;
            }
          }
        }
      }
    } catch (IOException e) {
      // stream closed (the process was killed): what was read is in the tail
    } finally {
      done = true;
    }
  }

  /** Waits up to {@code d} for the end of the output, then stops forwarding lines. */
  public void stop(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    boolean interrupted = false;
    while (!done && System.nanoTime() < end) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    forwarding = false;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** True once the end of the output was read. */
  public boolean done() {
    return done;
  }
}
