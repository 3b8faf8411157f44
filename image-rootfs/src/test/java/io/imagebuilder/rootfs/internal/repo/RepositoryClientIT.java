package io.imagebuilder.rootfs.internal.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.Variant;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads bookworm main from deb.debian.org with the bundled keyring and resolves minbase. The amd64
 * result is compared with what mmdebstrap (through apt) would install.
 */
class RepositoryClientIT {

  private static final URI DEBIAN = URI.create("http://deb.debian.org/debian");
  private static final List<String> MUST_HAVE =
      List.of(
          "dpkg",
          "base-files",
          "base-passwd",
          "libc6",
          "apt",
          "bash",
          "coreutils",
          "tar",
          "debian-archive-keyring");

  private static Repository bookworm(String arch) throws Exception {
    AtomicLong bytes = new AtomicLong();
    Repository r =
        new RepositoryClient()
            .fetch(
                RepositorySource.signed(
                    "debian", DEBIAN, "bookworm", List.of("main"), arch, Keyring.debianArchive()),
                (label, done, total) -> bytes.set(Math.max(bytes.get(), done)));
    assertTrue(bytes.get() > 1_000_000, "progress reported " + bytes.get() + " bytes");
    return r;
  }

  @ParameterizedTest
  @ValueSource(strings = {"amd64", "arm64"})
  void fetchesVerifiesAndResolvesMinbase(String arch) throws Exception {
    long start = System.nanoTime();
    Repository repo = bookworm(arch);
    long fetched = System.nanoTime();
    assertTrue(Keyring.debianArchive().fingerprints().contains(repo.signedBy()), repo.signedBy());
    assertEquals("bookworm", repo.release().codename().orElseThrow());
    assertTrue(repo.packages().size() > 50_000, repo.toString());
    assertTrue(
        repo.packages().stream()
            .allMatch(p -> p.architecture().equals(arch) || p.architecture().equals("all")));

    PackageUniverse universe = PackageUniverse.of(List.of(repo));
    List<PackageRecord> minbase = Resolver.resolve(universe, Variant.MINBASE, List.of());
    long resolved = System.nanoTime();
    Set<String> names =
        minbase.stream().map(PackageRecord::name).collect(Collectors.toCollection(TreeSet::new));
    assertTrue(names.containsAll(MUST_HAVE), names.toString());
    for (PackageRecord p : universe.candidates()) {
      if (p.essential() || p.priority().equals("required")) {
        assertTrue(names.contains(p.name()), "required/essential " + p.name() + " missing");
      }
    }
    assertEquals(List.of(), unsatisfied(minbase, arch));
    System.out.printf(
        "RepositoryClientIT %s: %d packages, InRelease %s signed by %s; fetch %d ms, "
            + "resolve %d ms; minbase %d packages: %s%n",
        arch,
        repo.packages().size(),
        repo.inReleaseSha256(),
        repo.signedBy(),
        (fetched - start) / 1_000_000,
        (resolved - fetched) / 1_000_000,
        names.size(),
        names);
  }

  @Test
  void minbaseMatchesMmdebstrap() throws Exception {
    Repository repo = bookworm("amd64");
    Set<String> ours =
        Resolver.resolve(PackageUniverse.of(List.of(repo)), Variant.MINBASE, List.of()).stream()
            .map(PackageRecord::name)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> theirs = mmdebstrapMinbase();
    Set<String> onlyOurs = new TreeSet<>(ours);
    onlyOurs.removeAll(theirs);
    Set<String> onlyTheirs = new TreeSet<>(theirs);
    onlyTheirs.removeAll(ours);
    System.out.printf(
        "minbase amd64: ours %d, mmdebstrap %d, only ours %s, only mmdebstrap %s%n",
        ours.size(), theirs.size(), onlyOurs, onlyTheirs);
    assertEquals(theirs, ours);
  }

  /** Every Depends and Pre-Depends of the set is met inside the set. */
  private static List<String> unsatisfied(List<PackageRecord> set, String arch) {
    PackageUniverse within = new PackageUniverse(arch, set, "the result");
    List<String> out = new ArrayList<>();
    for (PackageRecord p : set) {
      List<Relation> rels = new ArrayList<>(p.preDepends());
      rels.addAll(p.depends());
      for (Relation r : rels) {
        boolean ok =
            r.alternativesFor(arch).isEmpty()
                || r.alternativesFor(arch).stream()
                    .anyMatch(
                        a ->
                            within
                                    .candidate(a.name())
                                    .map(c -> a.acceptsVersion(c.version()))
                                    .orElse(false)
                                || within.providers(a.name()).stream()
                                    .anyMatch(
                                        pr ->
                                            a.operator() == null
                                                || (pr.provide().version() != null
                                                    && a.acceptsVersion(pr.provide().version()))));
        if (!ok) {
          out.add(p.name() + " -> " + r);
        }
      }
    }
    return out;
  }

  /**
   * The packages {@code mmdebstrap --variant=minbase --simulate} lets apt install: the union of the
   * "Inst" lines of its essential and its remaining-packages steps.
   */
  private static Set<String> mmdebstrapMinbase() throws Exception {
    Process p =
        new ProcessBuilder(
                "mmdebstrap",
                "--verbose",
                "--variant=minbase",
                "--simulate",
                "--architectures=amd64",
                "bookworm",
                "/dev/null",
                DEBIAN.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "mmdebstrap did not finish");
    assertEquals(0, p.exitValue(), out);
    Set<String> names = new TreeSet<>();
    out.lines().filter(l -> l.startsWith("Inst ")).forEach(l -> names.add(l.split(" ")[1]));
    assertTrue(names.size() > 50, out);
    return names;
  }
}
