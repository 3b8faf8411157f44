package io.imagebuilder.rootfs.internal.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.rootfs.internal.repo.Keyring;
import io.imagebuilder.rootfs.internal.repo.PackageRecord;
import io.imagebuilder.rootfs.internal.repo.Repository;
import io.imagebuilder.rootfs.internal.repo.RepositoryClient;
import io.imagebuilder.rootfs.internal.repo.RepositorySource;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares {@link DebianVersion} with {@code dpkg --compare-versions} on thousands of pairs of real
 * versions from bookworm's Packages (and their source versions): neighbours in our sort order,
 * which are the close calls, and random pairs.
 */
class DebianVersionDpkgIT {

  private static final int NEIGHBOURS = 3000;
  private static final int RANDOM = 2000;

  @TempDir Path dir;

  @Test
  void agreesWithDpkgOnRealVersions() throws Exception {
    Repository repo =
        new RepositoryClient()
            .fetch(
                RepositorySource.signed(
                    "debian",
                    URI.create("http://deb.debian.org/debian"),
                    "bookworm",
                    List.of("main"),
                    "amd64",
                    Keyring.debianArchive()));
    TreeSet<String> texts = new TreeSet<>();
    for (PackageRecord p : repo.packages()) {
      texts.add(p.version().toString());
      texts.add(p.sourceVersion().toString());
    }
    List<DebianVersion> sorted = new ArrayList<>();
    for (String t : texts) {
      sorted.add(DebianVersion.parse(t));
    }
    sorted.sort(null);
    assertTrue(sorted.size() > 20000, "only " + sorted.size() + " distinct versions");

    Random random = new Random(42);
    List<DebianVersion[]> pairs = new ArrayList<>();
    int step = Math.max(1, sorted.size() / NEIGHBOURS);
    for (int i = 0; i + 1 < sorted.size() && pairs.size() < NEIGHBOURS; i += step) {
      // Alternate the order so dpkg sees both "<" and ">" answers.
      pairs.add(
          i % 2 == 0
              ? new DebianVersion[] {sorted.get(i), sorted.get(i + 1)}
              : new DebianVersion[] {sorted.get(i + 1), sorted.get(i)});
    }
    for (int i = 0; i < RANDOM; i++) {
      pairs.add(
          new DebianVersion[] {
            sorted.get(random.nextInt(sorted.size())), sorted.get(random.nextInt(sorted.size()))
          });
    }
    // A few spellings that compare equal.
    pairs.add(new DebianVersion[] {DebianVersion.parse("1.0"), DebianVersion.parse("0:1.0-0")});

    long start = System.nanoTime();
    List<String> dpkg = dpkgCompare(pairs);
    long millis = (System.nanoTime() - start) / 1_000_000;

    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      DebianVersion a = pairs.get(i)[0];
      DebianVersion b = pairs.get(i)[1];
      int c = Integer.signum(a.compareTo(b));
      String ours = c < 0 ? "<" : c > 0 ? ">" : "=";
      if (!ours.equals(dpkg.get(i))) {
        mismatches.add(a + " " + ours + " " + b + " but dpkg says " + dpkg.get(i));
      }
      if (c == 0) {
        assertEquals(a.hashCode(), b.hashCode(), a + " = " + b);
      }
    }
    System.out.printf(
        "DebianVersionDpkgIT: %d pairs of %d distinct versions compared with dpkg in %d ms,"
            + " %d mismatches%n",
        pairs.size(), sorted.size(), millis, mismatches.size());
    assertEquals(List.of(), mismatches.subList(0, Math.min(20, mismatches.size())));
  }

  /** One answer ("<", "=", ">") per pair, from two shell processes each running dpkg per pair. */
  private List<String> dpkgCompare(List<DebianVersion[]> pairs) throws Exception {
    int half = pairs.size() / 2;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<List<String>> first = pool.submit(() -> runBatch(pairs.subList(0, half), "a"));
      Future<List<String>> second =
          pool.submit(() -> runBatch(pairs.subList(half, pairs.size()), "b"));
      List<String> out = new ArrayList<>(first.get());
      out.addAll(second.get());
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private List<String> runBatch(List<DebianVersion[]> pairs, String name)
      throws IOException, InterruptedException {
    StringBuilder script = new StringBuilder();
    for (DebianVersion[] p : pairs) {
      String a = "'" + p[0] + "'";
      String b = "'" + p[1] + "'";
      script
          .append("if dpkg --compare-versions ")
          .append(a)
          .append(" lt ")
          .append(b)
          .append("; then echo '<'; ")
          .append("elif dpkg --compare-versions ")
          .append(a)
          .append(" eq ")
          .append(b)
          .append("; then echo '='; ")
          .append("else echo '>'; fi\n");
    }
    Path file = dir.resolve("compare-" + name + ".sh");
    Files.writeString(file, script.toString());
    Process proc = new ProcessBuilder("sh", file.toString()).redirectErrorStream(true).start();
    String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, proc.waitFor(), output);
    List<String> lines =
        output.lines().filter(l -> l.equals("<") || l.equals("=") || l.equals(">")).toList();
    assertEquals(pairs.size(), lines.size(), "dpkg answers");
    return lines;
  }
}
