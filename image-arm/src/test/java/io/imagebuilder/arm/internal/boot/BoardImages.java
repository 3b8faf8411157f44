package io.imagebuilder.arm.internal.boot;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.arm.internal.disk.DiskAssembleStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds a board's disk image for integration tests: fixture rootfs, board.kernel, disk.assemble. */
final class BoardImages {
  static final long EPOCH = 1_700_000_000L;

  /** What one build made, with its timings. */
  record Built(Path image, Path workRoot, ChrootStageContext context, double kernelSeconds, double assembleSeconds) {}

  private BoardImages() {}

  static ImageSpec spec(Board board, List<OutputFormat> outputs) {
    return ImageSpec.builder("bookworm").architecture(board.architecture()).board(board.id())
        .addPackage("openssh-server").outputs(outputs).sourceDateEpoch(EPOCH).build();
  }

  static Path fixture(Board board) throws Exception {
    List<String> pkgs = new ArrayList<>(BoardKernelStage.packages(board));
    pkgs.add("openssh-server");
    return MmdebstrapFixture.rootfs(board, pkgs);
  }

  /** Builds the image under {@code workRoot} (rootfs, work and out inside it). */
  static Built build(String boardId, List<OutputFormat> outputs, Path workRoot) throws Exception {
    Board board = Boards.find(boardId);
    Path tar = fixture(board);
    Path rootfs = workRoot.resolve("rootfs");
    Path work = workRoot.resolve("work");
    Path out = workRoot.resolve("out");
    Files.createDirectories(work);
    MmdebstrapFixture.copy(tar, rootfs);
    ImageSpec spec = spec(board, outputs);
    ChrootStageContext ctx = new ChrootStageContext(spec, board, rootfs, work, out);
    long t0 = System.nanoTime();
    BoardKernelStage kernel = new BoardKernelStage(board);
    kernel.verify(ctx);
    kernel.run(ctx);
    long t1 = System.nanoTime();
    MmdebstrapFixture.finalise(rootfs);
    MmdebstrapFixture.clampTimes(rootfs, EPOCH);
    DiskAssembleStage assemble = DiskAssembleStage.forSpec(spec, board);
    assemble.run(ctx);
    long t2 = System.nanoTime();
    Path image = out.resolve(DiskAssembleStage.defaultName(spec) + "." + outputs.get(0).extension());
    return new Built(image, workRoot, ctx, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
  }

  static Path newWorkRoot(String name) throws Exception {
    Path base = MmdebstrapFixture.cacheDir().resolve("work");
    Files.createDirectories(base);
    return Files.createTempDirectory(base, name + "-");
  }
}
