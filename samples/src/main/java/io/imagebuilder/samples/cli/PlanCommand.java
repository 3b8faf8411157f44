package io.imagebuilder.samples.cli;

import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.PlannedStage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code imagebuilder plan}: prints the stages a build would run, with their ids; runs nothing. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Prints the stages a build of the same inputs would run: index, short stage id, type and "
          + "summary. Nothing is built. The same spec gives the same ids in every run.",
    })
final class PlanCommand implements Callable<Integer> {
  @ParentCommand ImageBuilderCli cli;

  @Spec CommandSpec spec;

  @Mixin SpecOptions image;

  @Option(
      names = "--json",
      description =
          "Print the plan as JSON (with --request: a JSON list of plans, in request order).")
  boolean json;

  @Override
  public Integer call() {
    List<BuildTarget> targets = image.targets();
    List<Plan> plans = new ArrayList<>();
    // Planning runs nothing: the configuration only says which stage providers plan.
    RunConfiguration run = cli.customize(RunConfiguration.into(Path.of(".")));
    for (BuildTarget t : targets) {
      plans.add(cli.customize(t.builder()).plan(run));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(
          plans.size() == 1 && targets.get(0).name() == null
              ? plans.get(0).toJson()
              : jsonList(plans));
    } else {
      for (int i = 0; i < plans.size(); i++) {
        if (targets.get(i).name() != null) {
          out.println((i > 0 ? System.lineSeparator() : "") + "# request " + targets.get(i).name());
        }
        lines(plans.get(i)).forEach(out::println);
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static String jsonList(List<Plan> plans) {
    List<String> each = plans.stream().map(Plan::toJson).toList();
    return "["
        + System.lineSeparator()
        + String.join("," + System.lineSeparator(), each)
        + System.lineSeparator()
        + "]";
  }

  /** {@code 3 1f2e3d4c5b6a rootfs.packages install openssh-server}, columns aligned. */
  static List<String> lines(Plan plan) {
    List<PlannedStage> stages = plan.stages();
    int indexWidth = String.valueOf(stages.size()).length();
    int typeWidth = stages.stream().mapToInt(s -> s.type().length()).max().orElse(0);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      PlannedStage s = stages.get(i);
      out.add(
          String.format(
              "%" + indexWidth + "d  %s  %-" + typeWidth + "s  %s",
              i + 1,
              s.id().substring(0, 12),
              s.type(),
              s.stage().summary()));
    }
    return out;
  }
}
