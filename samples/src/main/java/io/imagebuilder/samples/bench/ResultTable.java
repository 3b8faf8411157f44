package io.imagebuilder.samples.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Formats the benchmark rows: per architecture, each build's wall time, its ratio to mmdebstrap
 * (and, for a warm build, to our cold one), its CPU time and ratio, peak RSS, our JVM's peak heap
 * and the tarball size, then the targets of the bootstrap issue with whether they were met.
 */
final class ResultTable {
  private ResultTable() {}

  static String format(
      List<BootstrapBenchmark.ResultRow> rows, String loadBefore, String loadAfter, String xmx) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "bookworm minbase to tar.zst; load average before %s, after %s; our JVM -Xmx%s%n",
            loadBefore,
            loadAfter,
            xmx));
    s.append(
        String.format(
            Locale.ROOT,
            "%-6s %-13s %-5s %9s %8s %9s %8s %8s %10s %10s %9s%n",
            "arch",
            "tool",
            "cache",
            "wall",
            "vs mmdeb",
            "warm/cold",
            "CPU",
            "CPU vs",
            "peak RSS",
            "JVM heap",
            "tarball"));
    for (BootstrapBenchmark.ResultRow r : rows) {
      Optional<BootstrapBenchmark.ResultRow> mm = find(rows, r.arch(), "mmdebstrap", "none");
      Optional<BootstrapBenchmark.ResultRow> cold = find(rows, r.arch(), "imagebuilder", "cold");
      String vsMm = mm.map(m -> ratio(r, m)).orElse("-");
      String warmCold = r.cache().equals("warm") ? cold.map(c -> ratio(r, c)).orElse("-") : "-";
      String cpuVsMm =
          mm.map(
                  m ->
                      String.format(
                          Locale.ROOT,
                          "%.2fx",
                          r.m().cpu().toMillis() / (double) Math.max(1, m.m().cpu().toMillis())))
              .orElse("-");
      s.append(
          String.format(
              Locale.ROOT,
              "%-6s %-13s %-5s %8.1fs %8s %9s %7.1fs %8s %10s %10s %9s%n",
              r.arch(),
              r.tool(),
              r.cache(),
              r.wall().toMillis() / 1000.0,
              vsMm,
              warmCold,
              r.m().cpu().toMillis() / 1000.0,
              cpuVsMm,
              mib(r.m().maxRssKiB()),
              r.m().heapPeakKiB().isPresent() ? mib(r.m().heapPeakKiB().getAsLong()) : "-",
              mib(r.m().outputBytes() / 1024)));
    }
    s.append(targets(rows));
    return s.toString();
  }

  private static String targets(List<BootstrapBenchmark.ResultRow> rows) {
    StringBuilder s = new StringBuilder("targets:\n");
    target(s, rows, "amd64", "cold", 0.8);
    target(s, rows, "arm64", "cold", 0.45);
    for (String arch : List.of("amd64", "arm64")) {
      Optional<BootstrapBenchmark.ResultRow> cold = find(rows, arch, "imagebuilder", "cold");
      Optional<BootstrapBenchmark.ResultRow> warm = find(rows, arch, "imagebuilder", "warm");
      if (cold.isPresent() && warm.isPresent()) {
        double r = seconds(warm.get()) / seconds(cold.get());
        s.append(
            String.format(
                Locale.ROOT,
                "  %s warm <= 0.5x cold: %.2fx %s%n",
                arch,
                r,
                r <= 0.5 ? "met" : "NOT met"));
      }
    }
    long rss =
        rows.stream()
            .filter(r -> !r.tool().equals("mmdebstrap"))
            .mapToLong(r -> r.m().maxRssKiB())
            .max()
            .orElse(-1);
    if (rss >= 0) {
      s.append(
          String.format(
              Locale.ROOT,
              "  peak RSS of our builds <= 512 MiB: %s %s%n",
              mib(rss),
              rss <= 512 * 1024 ? "met" : "NOT met"));
    }
    return s.toString();
  }

  private static void target(
      StringBuilder s,
      List<BootstrapBenchmark.ResultRow> rows,
      String arch,
      String cache,
      double limit) {
    Optional<BootstrapBenchmark.ResultRow> ours = find(rows, arch, "imagebuilder", cache);
    Optional<BootstrapBenchmark.ResultRow> mm = find(rows, arch, "mmdebstrap", "none");
    if (ours.isPresent() && mm.isPresent()) {
      double r = seconds(ours.get()) / seconds(mm.get());
      s.append(
          String.format(
              Locale.ROOT,
              "  %s %s <= %.2fx mmdebstrap: %.2fx %s%n",
              arch,
              cache,
              limit,
              r,
              r <= limit ? "met" : "NOT met"));
    }
  }

  private static Optional<BootstrapBenchmark.ResultRow> find(
      List<BootstrapBenchmark.ResultRow> rows, String arch, String tool, String cache) {
    return rows.stream()
        .filter(r -> r.arch().equals(arch) && r.tool().equals(tool) && r.cache().equals(cache))
        .findFirst();
  }

  private static String ratio(BootstrapBenchmark.ResultRow a, BootstrapBenchmark.ResultRow b) {
    return String.format(Locale.ROOT, "%.2fx", seconds(a) / seconds(b));
  }

  private static double seconds(BootstrapBenchmark.ResultRow r) {
    return r.wall().toMillis() / 1000.0;
  }

  private static String mib(long kib) {
    return kib < 0 ? "-" : String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
  }
}
