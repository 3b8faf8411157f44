package io.imagebuilder.samples.bench;

import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.samples.cli.ImageBuilderCli;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The board benchmark's peer build: the {@code imagebuilder build} command with a plan transform
 * that makes the root filesystem with mmdebstrap ({@link MmdebstrapStage} in place of {@code
 * rootfs.bootstrap}, {@code rootfs.lists} and {@code rootfs.packages} dropped since mmdebstrap
 * installed the packages and left its lists) and keeps every other stage: sources, board.kernel,
 * board.boot, customise, finalise, the manifest stages and disk.assemble. So both sides share the
 * same disk assembly, through the public plan API.
 *
 * <p>Usage: {@code MmdebstrapBoardBuild TIMING_FILE LOG_FILE build --board ID [build flags]}:
 * mmdebstrap's own timing goes to TIMING_FILE, its output to LOG_FILE; {@code plan} instead of
 * {@code build} shows the transformed plan.
 */
public final class MmdebstrapBoardBuild {
  private MmdebstrapBoardBuild() {}

  public static void main(String[] args) {
    if (args.length < 3 || !(args[2].equals("build") || args[2].equals("plan"))) {
      System.err.println(
          "usage: MmdebstrapBoardBuild TIMING_FILE LOG_FILE build|plan --board ID [imagebuilder build flags]");
      System.exit(2);
    }
    Path timing = Path.of(args[0]).toAbsolutePath();
    Path log = Path.of(args[1]).toAbsolutePath();
    String[] cli = Arrays.copyOfRange(args, 2, args.length);
    System.exit(
        new ImageBuilderCli(false, 80, b -> withMmdebstrap(b, timing, log))
            .commandLine()
            .execute(cli));
  }

  /** {@code builder} with its bootstrap and package stages done by mmdebstrap. */
  static ImageBuilder withMmdebstrap(ImageBuilder builder, Path timing, Path log) {
    ImageSpec spec = builder.spec();
    if (spec.board() == null) {
      throw new IllegalArgumentException(
          "the mmdebstrap peer builds board images (expected --board)");
    }
    Board board = Boards.find(spec.board());
    return builder.withPlanTransform(
        plan -> transform(plan, new MmdebstrapStage(spec, board, sources(plan), timing, log)));
  }

  /** The suites the replaced bootstrap reads, so mmdebstrap resolves from the same ones. */
  static List<String> sources(Plan plan) {
    return plan.stages().stream()
        .filter(s -> s.type().equals("rootfs.bootstrap"))
        .findFirst()
        .map(s -> PeerSources.ofBootstrapOptions(s.stage().options()))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "the plan has no rootfs.bootstrap stage (expected one for mmdebstrap to replace)"));
  }

  static Plan transform(Plan plan, MmdebstrapStage mmdebstrap) {
    // mmdebstrap leaves apt's lists in place (MmdebstrapStage), so rootfs.lists goes too.
    return plan.replace("rootfs.bootstrap", mmdebstrap)
        .remove("rootfs.lists")
        .remove("rootfs.packages");
  }
}
