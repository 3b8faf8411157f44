package io.imagebuilder.internal.engine;

import io.imagebuilder.api.error.MissingModuleException;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Makes the plan for a spec from every {@link StageProvider} on the classpath: all their stages,
 * sorted by phase, then by order in phase, then by provider (class name, so the order is the same
 * in every JVM); a provider's own stages keep their order. A spec that needs a stage no provider
 * gives fails here, naming the module to add.
 */
public final class Planner {
  private record Candidate(Stage stage, String provider, int index) {}

  private final List<StageProvider> providers;

  public Planner(List<StageProvider> providers) {
    this.providers = List.copyOf(providers);
  }

  /** A planner over the providers found with ServiceLoader. */
  public static Planner fromClasspath() {
    List<StageProvider> found = new ArrayList<>();
    ServiceLoader.load(StageProvider.class).forEach(found::add);
    return new Planner(found);
  }

  public Plan plan(ImageSpec spec) {
    List<Candidate> candidates = new ArrayList<>();
    for (StageProvider p : providers) {
      List<Stage> stages = p.stages(spec);
      for (int i = 0; i < stages.size(); i++) {
        candidates.add(new Candidate(stages.get(i), p.getClass().getName(), i));
      }
    }
    candidates.sort(
        Comparator.comparing((Candidate c) -> c.stage().phase())
            .thenComparingInt(c -> c.stage().orderInPhase())
            .thenComparing(Candidate::provider)
            .thenComparingInt(Candidate::index));
    List<Stage> stages = candidates.stream().map(Candidate::stage).toList();
    requireComplete(spec, stages);
    return Plan.of(stages);
  }

  private static void requireComplete(ImageSpec spec, List<Stage> stages) {
    if (stages.stream().noneMatch(s -> s.phase() == Phase.BOOTSTRAP)) {
      throw new MissingModuleException(
          "no stage on the classpath bootstraps a root filesystem for " + spec.seriesRef(),
          "image-rootfs");
    }
    if (spec.board() != null && stages.stream().noneMatch(s -> s.phase() == Phase.BOARD)) {
      throw new MissingModuleException(
          "no stage on the classpath makes board '" + spec.board() + "' bootable", "image-arm");
    }
    for (OutputFormat format : spec.outputs()) {
      if (stages.stream().noneMatch(s -> s.produces().contains(format))) {
        throw new MissingModuleException(
            "no stage on the classpath writes '" + format + "' artifacts",
            format.isDiskImage() ? "image-arm" : "image-rootfs");
      }
    }
  }
}
