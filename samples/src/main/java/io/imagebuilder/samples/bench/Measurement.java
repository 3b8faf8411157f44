package io.imagebuilder.samples.bench;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * One timed run of a child process.
 *
 * @param wall wall-clock time from start to exit
 * @param cpu user plus system CPU time of the process and the children it waited for (xz, dpkg,
 *     maintainer scripts, qemu): steadier than wall time on a busy machine
 * @param maxRssKiB the largest resident set of any process in the child's tree ("Maximum resident
 *     set size" of GNU time: the biggest single process, not the sum)
 * @param heapPeakKiB for our JVM, the most heap in use (before a collection, from the GC log);
 *     empty for other tools
 * @param outputBytes size of the tarball written
 */
record Measurement(
    Duration wall, Duration cpu, long maxRssKiB, OptionalLong heapPeakKiB, long outputBytes) {}
