package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.api.spec.Variant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Computes the bootstrap package set: the seed packages of a {@link Variant} plus requested names,
 * closed over Depends and Pre-Depends.
 *
 * <ul>
 *   <li>essential: every {@code Essential: yes} candidate;
 *   <li>minbase: essential plus {@code Priority: required} plus {@code apt};
 *   <li>standard: minbase plus {@code Priority: important}.
 * </ul>
 *
 * <p>For each dependency an alternative already satisfied by the selection wins; else the first
 * alternative that the universe can satisfy (a real package whose candidate meets the version, or a
 * provider; a versioned dependency needs a versioned provide) is added. Among several providers of
 * a virtual name the one with the highest priority, then the first by name, is taken. One version
 * per name (the candidate), as apt does.
 *
 * <p>Conflicts and Breaks are not considered: the bootstrap set of a Debian or Ubuntu suite has
 * none among itself, and the packages stage runs apt, which checks them, for everything after.
 * Recommends are not followed (like mmdebstrap's variants).
 */
public final class Resolver {

  private Resolver() {}

  /**
   * Resolves the variant's seed plus {@code extraNames} (real or virtual names).
   *
   * @return the package set sorted by name
   * @throws ResolutionException naming the chain that cannot be satisfied
   */
  public static List<PackageRecord> resolve(
      PackageUniverse universe, Variant variant, List<String> extraNames)
      throws ResolutionException {
    return new Run(universe).resolve(variant, extraNames);
  }

  /** The seed of a variant, sorted by name. */
  static List<PackageRecord> seed(PackageUniverse universe, Variant variant) {
    return universe.candidates(
        p ->
            p.essential()
                || (variant != Variant.ESSENTIAL && p.priority().equals("required"))
                || (variant == Variant.STANDARD && p.priority().equals("important")));
  }

  /** One resolution: the selection so far and why each package is in it. */
  private static final class Run {
    private final PackageUniverse universe;
    private final Map<String, PackageRecord> selected = new LinkedHashMap<>();
    private final Map<String, String> pulledBy = new HashMap<>();
    private final Deque<PackageRecord> queue = new ArrayDeque<>();

    Run(PackageUniverse universe) {
      this.universe = universe;
    }

    List<PackageRecord> resolve(Variant variant, List<String> extraNames)
        throws ResolutionException {
      String origin = "variant " + variant.id();
      for (PackageRecord p : seed(universe, variant)) {
        select(p, null);
      }
      if (variant != Variant.ESSENTIAL) {
        requestName("apt", origin);
      }
      for (String name : extraNames) {
        requestName(name, "request");
      }
      while (!queue.isEmpty()) {
        PackageRecord p = queue.removeFirst();
        List<Relation> relations;
        try {
          relations = new ArrayList<>(p.preDepends());
          relations.addAll(p.depends());
        } catch (IllegalArgumentException e) {
          // Relations are parsed on first use; one that does not parse fails the resolution.
          throw new ResolutionException(
              "cannot resolve the dependencies of " + p + ": " + e.getMessage());
        }
        for (Relation r : relations) {
          satisfy(p, r);
        }
      }
      return selected.values().stream()
          .sorted(Comparator.comparing(PackageRecord::name))
          .collect(Collectors.toList());
    }

    private void requestName(String name, String origin) throws ResolutionException {
      if (selected.containsKey(name)) {
        return;
      }
      Optional<PackageRecord> real = universe.candidate(name);
      if (real.isPresent()) {
        select(real.get(), null);
        return;
      }
      Optional<PackageUniverse.Provider> provider = pickProvider(Alternative.of(name));
      if (provider.isPresent()) {
        select(provider.get().record(), null);
        return;
      }
      throw new ResolutionException(
          "cannot satisfy "
              + origin
              + " -> "
              + name
              + ": no such package in "
              + universe.description());
    }

    private void select(PackageRecord p, String parent) {
      if (selected.putIfAbsent(p.name(), p) == null) {
        if (parent != null) {
          pulledBy.put(p.name(), parent);
        }
        queue.addLast(p);
      }
    }

    private void satisfy(PackageRecord from, Relation relation) throws ResolutionException {
      List<Alternative> alts = relation.alternativesFor(universe.architecture());
      if (alts.isEmpty()) {
        return;
      }
      for (Alternative a : alts) {
        if (satisfiedBySelection(a)) {
          return;
        }
      }
      List<String> why = new ArrayList<>();
      for (Alternative a : alts) {
        Optional<PackageRecord> real = universe.candidate(a.name());
        if (real.isPresent()
            && !selected.containsKey(a.name())
            && a.acceptsVersion(real.get().version())) {
          select(real.get(), from.name());
          return;
        }
        Optional<PackageUniverse.Provider> provider = pickProvider(a);
        if (provider.isPresent()) {
          select(provider.get().record(), from.name());
          return;
        }
        why.add(alts.size() == 1 ? explain(a, real) : a.name() + ": " + explain(a, real));
      }
      throw new ResolutionException(
          "cannot satisfy " + chain(from) + " -> " + relation + ": " + String.join("; ", why));
    }

    private String explain(Alternative a, Optional<PackageRecord> real) {
      if (real.isEmpty()) {
        return universe.providers(a.name()).isEmpty()
            ? "no such package in " + universe.description()
            : "no package in " + universe.description() + " provides " + a;
      }
      PackageRecord selectedOne = selected.get(a.name());
      if (selectedOne != null) {
        return a.name()
            + " "
            + selectedOne.version()
            + " is already selected (by "
            + pulledBy.getOrDefault(a.name(), "the seed")
            + ") and does not meet "
            + a;
      }
      return universe.description() + " has " + a.name() + " " + real.get().version() + " only";
    }

    private boolean satisfiedBySelection(Alternative a) {
      PackageRecord real = selected.get(a.name());
      if (real != null && a.acceptsVersion(real.version())) {
        return true;
      }
      for (PackageUniverse.Provider p : universe.providers(a.name())) {
        if (selected.get(p.record().name()) == p.record() && providesEnough(p, a)) {
          return true;
        }
      }
      return false;
    }

    private Optional<PackageUniverse.Provider> pickProvider(Alternative a) {
      return universe.providers(a.name()).stream()
          .filter(p -> providesEnough(p, a))
          .filter(
              p ->
                  !selected.containsKey(p.record().name())
                      || selected.get(p.record().name()) == p.record())
          .min(
              Comparator.comparingInt(
                      (PackageUniverse.Provider p) -> priorityRank(p.record().priority()))
                  .thenComparing(p -> p.record().name()));
    }

    private static boolean providesEnough(PackageUniverse.Provider p, Alternative a) {
      if (a.operator() == null) {
        return true;
      }
      return p.provide().version() != null && a.acceptsVersion(p.provide().version());
    }

    private static int priorityRank(String priority) {
      switch (priority) {
        case "required":
          return 0;
        case "important":
          return 1;
        case "standard":
          return 2;
        case "optional":
          return 3;
        case "extra":
          return 4;
        default:
          return 5;
      }
    }

    /** {@code seed -> a -> b}: how {@code p} came to be selected. */
    private String chain(PackageRecord p) {
      List<String> names = new ArrayList<>();
      String n = p.name();
      while (n != null && names.size() < 50) {
        names.add(0, n);
        n = pulledBy.get(n);
      }
      return String.join(" -> ", names);
    }
  }
}
