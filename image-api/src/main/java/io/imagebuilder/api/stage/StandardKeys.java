package io.imagebuilder.api.stage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Facts the standard stages share through the {@link StageContext}. */
public final class StandardKeys {
  /** The manifest file written beside the artifacts, once the record stage ran. */
  public static final ContextKey<Path> MANIFEST_FILE = ContextKey.of("record.manifestFile", Path.class);

  /** Every repository packages were read from, added to by the bootstrap and sources stages. */
  public static final ContextKey<Repositories> REPOSITORIES = ContextKey.of("rootfs.repositories", Repositories.class);

  /** Origins of the installed packages' .debs, by package name. */
  public static final ContextKey<Origins> PACKAGE_ORIGINS = ContextKey.of("rootfs.packageOrigins", Origins.class);

  /**
   * The base image a build started from instead of bootstrapping (set by the stage that unpacks
   * it), so the manifest traces a derived image back to its base.
   */
  public static final ContextKey<BaseImage> BASE_IMAGE = ContextKey.of("rootfs.baseImage", BaseImage.class);

  /**
   * The partitions of the disk image artifacts, with each partition's sha256, set by the stage
   * that writes a disk image so the manifest and the index can lead back from a partition's hash.
   * A stage that adds partitions merges them with the value already there.
   */
  public static final ContextKey<Partitions> PARTITIONS = ContextKey.of("assemble.partitions", Partitions.class);

  /**
   * Each started stage's log, written by the engine beside the artifacts ({@code
   * logs/<NN>-<stage type>.log}, see {@code BuildResult}); set when a stage starts, so the
   * running stage's own log is listed too.
   */
  public static final ContextKey<StageLogFiles> STAGE_LOGS = ContextKey.of("engine.stageLogs", StageLogFiles.class);

  /**
   * How to install packages with apt in the target, set by the stage that installs the spec's
   * packages; a later stage installing packages (e.g. a board's kernel) uses it when present.
   */
  public static final ContextKey<PackageInstaller> PACKAGE_INSTALLER =
      ContextKey.of("rootfs.packageInstaller", PackageInstaller.class);

  private StandardKeys() {}

  /** Log files by stage id, each a path relative to the output directory. */
  public record StageLogFiles(Map<String, String> byStageId) {
    public StageLogFiles {
      byStageId = Map.copyOf(byStageId);
    }
  }

  /** The repositories of a build, in the order they were first used. */
  public record Repositories(List<UsedRepository> list) {
    public Repositories {
      list = List.copyOf(list);
    }
  }

  /**
   * A base image a build started from.
   *
   * @param sha256 sha256 of the base image file, 64 hex digits
   * @param specHash the spec hash of the base's embedded manifest, or null when it had none
   */
  public record BaseImage(String sha256, String specHash) {}

  /** Package origins by package name. */
  public record Origins(Map<String, PackageOrigin> byName) {
    public Origins {
      byName = Map.copyOf(byName);
    }
  }

  /**
   * Partitions of disk image artifacts, by the artifact's file name (e.g. {@code board.img};
   * a compressed copy such as {@code board.img.xz} may list the same partitions).
   */
  public record Partitions(Map<String, List<Partition>> byArtifactFileName) {
    public Partitions {
      byArtifactFileName = Map.copyOf(byArtifactFileName);
    }
  }

  /**
   * One partition of a disk image.
   *
   * @param number the partition number in the table, from 1
   * @param name its GPT name or filesystem label, or null
   * @param type GPT type GUID or MBR type byte as hex, or null
   * @param filesystem e.g. {@code ext4}, {@code vfat}, or null
   * @param offset first byte within the image
   * @param size length in bytes
   * @param sha256 sha256 of the partition's bytes, 64 hex digits
   */
  public record Partition(
      int number, String name, String type, String filesystem, long offset, long size, String sha256) {}
}
