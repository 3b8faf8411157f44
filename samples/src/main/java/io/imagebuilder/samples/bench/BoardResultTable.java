package io.imagebuilder.samples.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Formats the board benchmark: both builds side by side (wall, CPU, peak RSS, JVM heap, image
 * size), mmdebstrap's own share of the peer, the ratios, the time of each stage on each side,
 * whether both images hold the same packages, and the targets of issue #17 with whether they were
 * met; with a warm rebuild (one more package, the same cache) its row, its ratio to our cold build
 * and its target too.
 */
final class BoardResultTable {
  /** The wall-time target: ImageBuilder's build at most this fraction of the peer's. */
  static final double TARGET = 0.4;

  /** The warm rebuild with one more package: at most this fraction of our cold build. */
  static final double WARM_TARGET = 0.2;

  /** Peak RSS of every build's largest process, in MiB. */
  static final long RSS_TARGET_MIB = 512;

  /**
   * One side: the timed build, its stage durations in order (from its manifest) and its packages.
   */
  record Side(String name, Measurement m, Map<String, Duration> stages, List<String> packages) {}

  /** What the run was: the title line and the conditions the figures were taken in. */
  record Conditions(String title, String peer, String machine, String jvm) {}

  private BoardResultTable() {}

  static String format(Conditions c, Side ours, Side peer, TimedChild.Timing mmdebstrap) {
    return format(c, ours, peer, mmdebstrap, null);
  }

  /**
   * As {@link #format(Conditions, Side, Side, TimedChild.Timing)}, then {@code warm} (our rebuild
   * with one more package on the cold build's cache, or null) against our cold build.
   */
  static String format(
      Conditions c, Side ours, Side peer, TimedChild.Timing mmdebstrap, Side warm) {
    StringBuilder s = new StringBuilder();
    s.append(c.title()).append('\n');
    s.append("peer: ").append(c.peer()).append('\n');
    s.append(c.machine()).append("; both JVMs ").append(c.jvm()).append('\n');
    s.append(
        String.format(
            Locale.ROOT,
            "%-28s %9s %9s %9s %9s %9s%n",
            "build",
            "wall",
            "CPU",
            "peak RSS",
            "JVM heap",
            "image"));
    row(s, ours.name(), ours.m());
    row(s, peer.name(), peer.m());
    if (mmdebstrap != null) {
      s.append(
          String.format(
              Locale.ROOT,
              "%-28s %8.1fs %8.1fs %9s %9s %9s%n",
              "  of which mmdebstrap",
              seconds(mmdebstrap.wall()),
              seconds(mmdebstrap.cpu()),
              mib(mmdebstrap.maxRssKiB()),
              "-",
              "-"));
    }
    double wall = ratio(ours.m().wall(), peer.m().wall());
    double cpu = ratio(ours.m().cpu(), peer.m().cpu());
    s.append(
        String.format(Locale.ROOT, "%-28s %8.2fx %8.2fx%n", ours.name() + " / peer", wall, cpu));
    s.append(stages(ours, peer));
    s.append(packages(ours, peer));
    s.append(
        String.format(
            Locale.ROOT,
            "target: %s wall <= %.1fx the peer's: %.2fx %s%n",
            ours.name(),
            TARGET,
            wall,
            wall <= TARGET ? "met" : "NOT met"));
    long rss = Math.max(ours.m().maxRssKiB(), peer.m().maxRssKiB());
    if (warm != null) {
      row(s, warm.name(), warm.m());
      double w = ratio(warm.m().wall(), ours.m().wall());
      s.append(
          String.format(
              Locale.ROOT,
              "target: %s wall <= %.1fx %s's: %.2fx %s%n",
              warm.name(),
              WARM_TARGET,
              ours.name(),
              w,
              w <= WARM_TARGET ? "met" : "NOT met"));
      rss = Math.max(rss, warm.m().maxRssKiB());
    }
    s.append(
        String.format(
            Locale.ROOT,
            "target: peak RSS <= %d MiB in every build: %s %s%n",
            RSS_TARGET_MIB,
            mib(rss),
            rss <= RSS_TARGET_MIB * 1024 ? "met" : "NOT met"));
    return s.toString();
  }

  private static void row(StringBuilder s, String name, Measurement m) {
    s.append(
        String.format(
            Locale.ROOT,
            "%-28s %8.1fs %8.1fs %9s %9s %9s%n",
            name,
            seconds(m.wall()),
            seconds(m.cpu()),
            mib(m.maxRssKiB()),
            m.heapPeakKiB().isPresent() ? mib(m.heapPeakKiB().getAsLong()) : "-",
            m.outputBytes() < 0 ? "-" : mib(m.outputBytes() / 1024)));
  }

  /**
   * Each stage type of either side, in the order they ran (ours first), with its time on each side.
   */
  static String stages(Side ours, Side peer) {
    List<String> types = new ArrayList<>(ours.stages().keySet());
    peer.stages().keySet().stream()
        .filter(t -> !types.contains(t))
        .forEach(
            t -> {
              // A peer-only stage goes where the peer ran it: after the stage it followed there.
              List<String> peerTypes = new ArrayList<>(peer.stages().keySet());
              int at = peerTypes.indexOf(t);
              int insert = 0;
              for (int i = at - 1; i >= 0; i--) {
                int found = types.indexOf(peerTypes.get(i));
                if (found >= 0) {
                  insert = found + 1;
                  break;
                }
              }
              types.add(insert, t);
            });
    StringBuilder s =
        new StringBuilder(
            String.format(Locale.ROOT, "%-28s %12s %12s%n", "stage (s)", ours.name(), "peer"));
    for (String t : types) {
      s.append(
          String.format(
              Locale.ROOT,
              "%-28s %12s %12s%n",
              "  " + t,
              time(ours.stages().get(t)),
              time(peer.stages().get(t))));
    }
    return s.toString();
  }

  static String packages(Side ours, Side peer) {
    TreeSet<String> onlyOurs = new TreeSet<>(ours.packages());
    peer.packages().forEach(onlyOurs::remove);
    TreeSet<String> onlyPeer = new TreeSet<>(peer.packages());
    ours.packages().forEach(onlyPeer::remove);
    if (onlyOurs.isEmpty() && onlyPeer.isEmpty()) {
      return "packages: the same " + ours.packages().size() + " in both images\n";
    }
    return "packages: "
        + ours.name()
        + " "
        + ours.packages().size()
        + ", peer "
        + peer.packages().size()
        + "; only in "
        + ours.name()
        + ": "
        + (onlyOurs.isEmpty() ? "-" : String.join(" ", onlyOurs))
        + "; only in the peer: "
        + (onlyPeer.isEmpty() ? "-" : String.join(" ", onlyPeer))
        + "\n";
  }

  private static String time(Duration d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.1f", seconds(d));
  }

  private static double ratio(Duration a, Duration b) {
    return a.toMillis() / (double) Math.max(1, b.toMillis());
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static String mib(long kib) {
    return kib < 0 ? "-" : String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
  }
}
