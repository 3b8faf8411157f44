package io.imagebuilder.rootfs.internal.stages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Times the steps of a stage for its log ("index 1.2 s, resolve 0.1 s, ..."), so a slow build shows
 * where its time went without a profiler.
 */
final class StepTimer {
  private final LongSupplier nanos;
  private final List<String> laps = new ArrayList<>();
  private long last;

  StepTimer() {
    this(System::nanoTime);
  }

  StepTimer(LongSupplier nanos) {
    this.nanos = nanos;
    this.last = nanos.getAsLong();
  }

  /** Ends the step called {@code name}, started at the previous lap (or at construction). */
  void lap(String name) {
    long now = nanos.getAsLong();
    laps.add(String.format(Locale.ROOT, "%s %.1f s", name, (now - last) / 1e9));
    last = now;
  }

  /** The steps so far, e.g. {@code index 1.2 s, resolve 0.1 s}. */
  String summary() {
    return String.join(", ", laps);
  }
}
