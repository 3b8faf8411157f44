package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.internal.io.HostDns;
import io.imagebuilder.rootfs.internal.repo.IndexCache;
import io.imagebuilder.rootfs.internal.repo.RepositoryClient;
import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * {@code rootfs.lists}: gives the target apt's package lists for its sources, and the host's DNS
 * settings while apt runs ({@link HostDns}), once for every later install: the board's kernel
 * stage, which runs before the spec's packages so that a changed package list does not rebuild it,
 * and {@code rootfs.packages}. It runs after every stage that writes sources (rootfs.sources, the
 * local repository).
 *
 * <p>The lists are written natively ({@link #updateLists}): an emulated {@code apt-get update}
 * spends seconds in emulated gpgv and xz on indexes the bootstrap already read and verified.
 *
 * <p>Options ({@link Options}): {@code architecture}, the one the lists are written for.
 */
final class ListsStage implements Stage {
  /**
   * What the lists stage reads (besides the sources in the tree, which earlier stages wrote).
   *
   * @param architecture the target's architecture
   */
  record Options(Architecture architecture) {
    static Options of(ImageSpec spec) {
      return new Options(spec.architecture());
    }
  }

  private final Options options;

  ListsStage(Options options) {
    this.options = options;
  }

  /** Whether a later stage installs with apt: the same specs that have a packages stage. */
  static boolean needed(ImageSpec spec) {
    return PackagesStage.needed(spec);
  }

  @Override
  public String type() {
    return "rootfs.lists";
  }

  @Override
  public String summary() {
    return "write apt's package lists for " + options.architecture().debianName();
  }

  @Override
  public Phase phase() {
    return Phase.SOURCES;
  }

  @Override
  public int orderInPhase() {
    return 2; // after rootfs.sources and the local repository, whose sources it reads
  }

  @Override
  public Map<String, Object> options() {
    return StageOptions.of(options);
  }

  @Override
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    try {
      HostDns.provide(context.rootfs());
    } catch (IOException e) {
      throw new ImageBuildException("cannot give the target a resolv.conf: " + e.getMessage(), e);
    }
    updateLists(context, options.architecture().debianName());
  }

  /**
   * Brings apt's package lists up to date: natively ({@link AptListsWriter}) unless the system
   * property {@code imagebuilder.nativeLists} is {@code false} or the image's apt setup has
   * something the writer does not do as apt would; then, and saying why, with {@code apt-get
   * update} in the target. A source that does not verify fails the build either way.
   */
  static void updateLists(StageContext context, String architecture)
      throws ImageBuildException, InterruptedException {
    if (!"false".equals(System.getProperty("imagebuilder.nativeLists"))) {
      long started = System.nanoTime();
      RepositoryClient client =
          new RepositoryClient()
              .withIndexCache(new IndexCache(context.cacheDir().resolve("indexes")));
      AptListsWriter writer =
          new AptListsWriter(context.rootfs(), architecture, client, Clock.systemUTC());
      try {
        AptListsWriter.Written written = writer.write(context::progressBytes);
        context.log(
            String.format(
                Locale.ROOT,
                "apt lists written natively: %s in %.1f s",
                written,
                (System.nanoTime() - started) / 1e9));
        return;
      } catch (AptListsWriter.Unsupported e) {
        context.log(
            "apt lists not written natively (" + e.getMessage() + "): running apt-get update");
      }
    }
    context.run(Command.of("apt-get", "update").withNetwork());
  }
}
