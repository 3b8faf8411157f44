package io.imagebuilder.arm.internal.disk;

import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.arm.internal.board.BoardSnapshot;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.io.AtomicFiles;
import io.imagebuilder.internal.process.HostProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code disk.assemble}: writes the board's disk image from the finished rootfs, without loop
 * devices or mounts, then the requested formats of it.
 *
 * <p>Options ({@link Options}): the board's whole definition (its partition table and partitions
 * above all), {@code rootFreeSpace} (default the board's), {@code outputs} (any of img, qcow2,
 * img.xz, img.zst), {@code name} (the artifacts' base name, default {@code
 * <distribution>-<series>-<board>}), {@code identitySeed} (the spec hash: filesystem UUIDs and
 * partition GUIDs derive from it, {@link DiskIdentity}); timestamps are the build's
 * SOURCE_DATE_EPOCH (the spec's, else the Release date the bootstrap read).
 *
 * <p>Host tools: mkfs.ext4, dumpe2fs and debugfs (e2fsprogs), mkfs.vfat (dosfstools), mcopy and mmd
 * (mtools), and qemu-img (qemu-utils) when qcow2 is requested.
 */
public final class DiskAssembleStage implements Stage {
  /**
   * What the disk stage reads.
   *
   * @param board the board's definition
   * @param outputs the disk image formats to write
   * @param name the artifacts' base name
   * @param rootFreeSpace free space left in the root filesystem, e.g. {@code 256MiB}
   * @param identitySeed what filesystem UUIDs and partition GUIDs derive from (the spec hash)
   */
  public record Options(
      BoardSnapshot board,
      List<OutputFormat> outputs,
      String name,
      String rootFreeSpace,
      String identitySeed) {
    /**
     * Keeps the disk image formats.
     *
     * @param board the board's definition
     * @param outputs the formats to write; those that are not disk images are left out
     * @param name the artifacts' base name
     * @param rootFreeSpace free space left in the root filesystem
     * @param identitySeed what the identifiers derive from
     * @throws IllegalArgumentException if no disk image format remains
     */
    public Options {
      outputs = outputs.stream().filter(OutputFormat::isDiskImage).toList();
      if (outputs.isEmpty()) {
        throw new IllegalArgumentException(
            "disk.assemble needs a disk image format (expected img, qcow2, img.xz or img.zst)");
      }
    }
  }

  private final Options options;
  private final BoardSnapshot board;
  private final List<OutputFormat> outputs;
  private final String name;
  private final String rootFreeSpace;

  /**
   * The stage for {@code options}.
   *
   * @param options what it reads
   */
  public DiskAssembleStage(Options options) {
    this.options = options;
    this.board = options.board();
    this.outputs = options.outputs();
    this.name = options.name();
    this.rootFreeSpace = options.rootFreeSpace();
  }

  /**
   * The stage for a spec with a board.
   *
   * @param spec the spec
   * @param board its board
   * @return the stage, or null when the spec asks for no disk image
   */
  public static DiskAssembleStage forSpec(ImageSpec spec, Board board) {
    List<OutputFormat> disks = spec.outputs().stream().filter(OutputFormat::isDiskImage).toList();
    if (disks.isEmpty()) {
      return null;
    }
    String freeSpace =
        spec.disk() != null && spec.disk().rootFreeSpace() != null
            ? spec.disk().rootFreeSpace()
            : board.rootFreeSpace();
    return new DiskAssembleStage(
        new Options(BoardSnapshot.of(board), disks, defaultName(spec), freeSpace, spec.specHash()));
  }

  /**
   * The artifacts' default base name.
   *
   * @param spec the spec
   * @return {@code <distribution>-<series>-<board>}
   */
  public static String defaultName(ImageSpec spec) {
    return spec.distribution().id() + "-" + spec.series() + "-" + spec.board();
  }

  @Override
  public String type() {
    return "disk.assemble";
  }

  @Override
  public String summary() {
    return "write the "
        + board.id()
        + " disk image ("
        + board.partitionTable()
        + ") as "
        + String.join(", ", outputs.stream().map(OutputFormat::extension).toList());
  }

  @Override
  public Phase phase() {
    return Phase.ASSEMBLE;
  }

  @Override
  public Map<String, Object> options() {
    return StageOptions.of(options);
  }

  @Override
  public Map<String, String> hostTools() {
    Map<String, String> tools = new TreeMap<>();
    tools.put("mkfs.ext4", "e2fsprogs");
    tools.put("dumpe2fs", "e2fsprogs");
    tools.put("debugfs", "e2fsprogs");
    tools.put("mkfs.vfat", "dosfstools");
    tools.put("mcopy", "mtools");
    tools.put("mmd", "mtools");
    if (outputs.contains(OutputFormat.QCOW2)) {
      tools.put("qemu-img", "qemu-utils");
    }
    return tools;
  }

  @Override
  public List<OutputFormat> produces() {
    return outputs;
  }

  @Override
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    // The engine starts it from the spec's; the bootstrap sets it from the Release when unset.
    long epoch = context.requireSourceDateEpoch("the disk image");
    DiskIdentity ids = new DiskIdentity(options.identitySeed());
    Path out = context.outputDir();
    Path raw = out.resolve(name + ".img");
    Path scratch = context.workDir().resolve("disk.assemble");
    try {
      Files.createDirectories(out);
      context.progress("disk image", 0, outputs.size() + 1);
      DiskLayout layout =
          new DiskImageWriter(board, rootFreeSpace, ids, epoch, context::log)
              .write(context.rootfs(), raw, scratch);
      context.log(
          "disk image "
              + raw.getFileName()
              + ": "
              + ByteSize.human(layout.totalBytes())
              + ", "
              + layout.partitions().size()
              + " partitions ("
              + layout.table()
              + ")");
      List<Path> written = new ArrayList<>();
      int done = 1;
      for (OutputFormat f : outputs) {
        context.checkCancelled();
        Path target = out.resolve(name + "." + f.extension());
        switch (f) {
          case RAW:
            break;
          case QCOW2:
            Path part = AtomicFiles.createTemporary(target);
            try {
              HostProcess.of(
                      "qemu-img",
                      "convert",
                      "-f",
                      "raw",
                      "-O",
                      "qcow2",
                      raw.toString(),
                      part.toString())
                  .check(context::log);
              AtomicFiles.commit(part, target);
            } finally {
              Files.deleteIfExists(part);
            }
            break;
          case RAW_XZ:
            Artifacts.xz(raw, target);
            break;
          case RAW_ZST:
            Artifacts.zstd(raw, target);
            break;
          default:
            throw new IllegalStateException("not a disk image format: " + f);
        }
        written.add(target);
        context.progress("disk image", ++done, outputs.size() + 1);
      }
      if (!outputs.contains(OutputFormat.RAW)) {
        Files.delete(raw);
      }
      for (int i = 0; i < outputs.size(); i++) {
        Path file = written.get(i);
        context.addArtifact(
            new Artifact(file, outputs.get(i), Files.size(file), Sha256.ofFile(file)));
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot write the disk image " + raw + ": " + e.getMessage(), e);
    }
  }
}
