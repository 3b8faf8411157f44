package io.imagebuilder.samples.embed;

import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.PlannedStage;

/**
 * Prints the stages a build would run, with their ids, without running anything: the same spec
 * gives the same ids in every JVM, and changing the packages changes the ids from the packages
 * stage on. Arguments are extra packages to install.
 */
public final class PlanExample {
  private PlanExample() {}

  public static void main(String[] args) {
    for (PlannedStage stage : plan(args).stages()) {
      System.out.println(stage.id() + "  " + stage.type() + "  " + stage.stage().summary());
    }
  }

  /** The plan of a bookworm image with openssh-server and {@code extraPackages}. */
  public static Plan plan(String... extraPackages) {
    return ImageBuilder.forSeries("bookworm")
        .withPackages("openssh-server")
        .withPackages(extraPackages)
        .withHostname("demo")
        .plan();
  }
}
