package io.imagebuilder.rootfs.internal.repo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The packages of one or more repositories that can be installed on one architecture (its own and
 * {@code all}), indexed by name and by what they provide.
 *
 * <p>As in apt, each name has one candidate: its highest version; between equal versions the
 * repository given first wins. Only candidates take part in resolution.
 */
public final class PackageUniverse {

  /** A candidate that provides a name, with the version it provides (null when unversioned). */
  public record Provider(PackageRecord record, Provide provide) {}

  private final String architecture;
  private final String description;
  private final Map<String, List<PackageRecord>> byName = new HashMap<>();
  private final Map<String, PackageRecord> candidates = new HashMap<>();
  private final Map<String, List<Provider>> providers = new HashMap<>();

  /**
   * A universe of the packages of {@code repositories}, in priority order for equal versions.
   *
   * @throws IllegalArgumentException when the repositories are for different architectures
   */
  public static PackageUniverse of(List<Repository> repositories) {
    if (repositories.isEmpty()) {
      throw new IllegalArgumentException("a package universe needs at least one repository");
    }
    String arch = repositories.get(0).source().architecture();
    List<PackageRecord> all = new ArrayList<>();
    Set<String> descriptions = new LinkedHashSet<>();
    for (Repository r : repositories) {
      if (!r.source().architecture().equals(arch)) {
        throw new IllegalArgumentException(
            "repositories for different architectures: "
                + arch
                + " and "
                + r.source().architecture()
                + " (source '"
                + r.source().name()
                + "')");
      }
      all.addAll(r.packages());
      descriptions.add(r.source().describe());
    }
    return new PackageUniverse(arch, all, String.join(", ", descriptions));
  }

  /**
   * A universe of the given records for {@code architecture}; records of other architectures are
   * left out. {@code description} names the repositories in messages (e.g. {@code bookworm main}).
   * Earlier records win between equal versions.
   */
  public PackageUniverse(
      String architecture, Collection<PackageRecord> records, String description) {
    this.architecture = architecture;
    this.description = description;
    for (PackageRecord r : records) {
      if (r.architecture().equals(architecture) || r.architecture().equals("all")) {
        byName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
      }
    }
    Comparator<PackageRecord> highestFirst =
        Comparator.comparing(PackageRecord::version).reversed();
    for (Map.Entry<String, List<PackageRecord>> e : byName.entrySet()) {
      // Stable sort: highest version first, input order between equal versions.
      if (e.getValue().size() > 1) {
        e.getValue().sort(highestFirst);
      }
      PackageRecord candidate = e.getValue().get(0);
      candidates.put(e.getKey(), candidate);
      for (Provide p : candidate.provides()) {
        providers.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(new Provider(candidate, p));
      }
    }
    Comparator<Provider> byProviderName = Comparator.comparing((Provider p) -> p.record().name());
    for (List<Provider> list : providers.values()) {
      if (list.size() > 1) {
        list.sort(byProviderName);
      }
    }
  }

  /** The architecture packages are installed for. */
  public String architecture() {
    return architecture;
  }

  /** The repositories, for messages, e.g. {@code bookworm main}. */
  public String description() {
    return description;
  }

  /** The candidate (highest version) of a real package name. */
  public Optional<PackageRecord> candidate(String name) {
    return Optional.ofNullable(candidates.get(name));
  }

  /** Every version of a name known, highest first. */
  public List<PackageRecord> versions(String name) {
    return List.copyOf(byName.getOrDefault(name, List.of()));
  }

  /** The candidates that provide {@code name}, sorted by package name. */
  public List<Provider> providers(String name) {
    return List.copyOf(providers.getOrDefault(name, List.of()));
  }

  /** All candidates, sorted by name. */
  public List<PackageRecord> candidates() {
    return candidates.values().stream()
        .sorted(Comparator.comparing(PackageRecord::name))
        .collect(Collectors.toList());
  }

  /** The candidates that pass {@code filter}, sorted by name (filtered before sorting: cheaper). */
  public List<PackageRecord> candidates(java.util.function.Predicate<PackageRecord> filter) {
    return candidates.values().stream()
        .filter(filter)
        .sorted(Comparator.comparing(PackageRecord::name))
        .collect(Collectors.toList());
  }

  /** Whether {@code name} can be installed: a real package, or a virtual one something provides. */
  public boolean knows(String name) {
    return candidates.containsKey(name) || providers.containsKey(name);
  }

  /**
   * Up to {@code max} known names closest to {@code wanted}, for "did you mean": the fewest
   * single-character edits first (at most a third of the name, and at least 2), then names that
   * start with {@code wanted}; ties by name.
   */
  public List<String> nearestNames(String wanted, int max) {
    int limit = Math.max(2, wanted.length() / 3);
    record Scored(String name, int score) {}
    List<Scored> scored = new ArrayList<>();
    Set<String> names = new java.util.HashSet<>(candidates.keySet());
    names.addAll(providers.keySet());
    for (String name : names) {
      if (Math.abs(name.length() - wanted.length()) <= limit) {
        int d = editDistance(wanted, name, limit);
        if (d <= limit) {
          scored.add(new Scored(name, d));
          continue;
        }
      }
      if (name.startsWith(wanted)) {
        scored.add(new Scored(name, limit + 1 + name.length() - wanted.length()));
      }
    }
    return scored.stream()
        .sorted(Comparator.comparingInt(Scored::score).thenComparing(Scored::name))
        .limit(max)
        .map(Scored::name)
        .collect(Collectors.toList());
  }

  /**
   * Levenshtein distance of {@code a} and {@code b}, or {@code limit + 1} once it must exceed it.
   */
  static int editDistance(String a, String b, int limit) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      int rowMin = cur[0];
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin > limit) {
        return limit + 1;
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return Math.min(prev[b.length()], limit + 1);
  }

  /** The number of candidate packages. */
  public int size() {
    return candidates.size();
  }
}
