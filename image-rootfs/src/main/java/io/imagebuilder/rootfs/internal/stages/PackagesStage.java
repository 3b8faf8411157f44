package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.error.BuildCancelledException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.PackageOrigin;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.rootfs.internal.deb.DebFile;
import io.imagebuilder.rootfs.internal.repo.IndexCache;
import io.imagebuilder.rootfs.internal.repo.PackageUniverse;
import io.imagebuilder.rootfs.internal.repo.RepositoryClient;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code rootfs.packages}: installs the requested packages with apt inside the target and purges
 * the excluded ones.
 *
 * <p>apt's package lists are written natively first ({@link #updateLists}): an emulated {@code
 * apt-get update} spends seconds in emulated gpgv and xz on indexes the bootstrap already read and
 * verified.
 *
 * <p>Options ({@link Options}): {@code architecture}, {@code install} (the spec's packages, plus
 * sudo when a user needs it), {@code purge}, {@code knownIn} (the archive the packages are checked
 * against before anything runs). Recommends are not installed, to keep images small and their
 * contents explicit. The executor keeps services from starting (policy-rc.d) while apt runs.
 * Installs go through {@link AptInstaller} (natively decompressed .debs under emulation), which
 * later stages load as the {@link io.imagebuilder.api.stage.PackageInstaller} service. Where each
 * installed .deb came from (sha256 and repository) is recorded for the manifest.
 */
final class PackagesStage implements Stage {
  /**
   * What the packages stage reads.
   *
   * @param architecture the target's architecture (apt's lists are written for it)
   * @param install the packages to install, sorted
   * @param purge the packages to purge
   * @param knownIn the archive every package to install must be known in, checked before any stage
   *     runs; null when another source (a PPA, an extra repository, a local package, a base image)
   *     may bring a name
   */
  record Options(
      Architecture architecture, List<String> install, List<String> purge, ArchiveOptions knownIn) {
    Options {
      install = List.copyOf(install);
      purge = List.copyOf(purge);
    }

    static Options of(ImageSpec spec) {
      TreeSet<String> names = new TreeSet<>(spec.packages());
      if (spec.users().stream().anyMatch(u -> u.sudo())) {
        names.add("sudo");
      }
      boolean archiveOnly =
          spec.baseImage() == null
              && spec.ppas().isEmpty()
              && spec.repositories().isEmpty()
              && spec.localPackages().isEmpty();
      return new Options(
          spec.architecture(),
          List.copyOf(names),
          spec.excludedPackages(),
          archiveOnly && !spec.packages().isEmpty() ? ArchiveOptions.of(spec) : null);
    }
  }

  private final Options options;
  private final List<String> install;
  private final List<String> purge;

  PackagesStage(Options options) {
    this.options = options;
    this.install = options.install();
    this.purge = options.purge();
  }

  /**
   * Whether the spec asks for any package work at all; a board does, since its stage installs the
   * kernel with apt from the lists this stage updates.
   */
  static boolean needed(ImageSpec spec) {
    return !spec.packages().isEmpty()
        || !spec.excludedPackages().isEmpty()
        || spec.users().stream().anyMatch(u -> u.sudo())
        || spec.board() != null;
  }

  @Override
  public String type() {
    return "rootfs.packages";
  }

  @Override
  public String summary() {
    List<String> parts = new ArrayList<>();
    if (!install.isEmpty()) {
      parts.add("install " + String.join(" ", install));
    }
    if (!purge.isEmpty()) {
      parts.add("purge " + String.join(" ", purge));
    }
    return parts.isEmpty() ? "update the package lists" : String.join("; ", parts);
  }

  @Override
  public Phase phase() {
    return Phase.PACKAGES;
  }

  @Override
  public Map<String, Object> options() {
    return StageOptions.of(options);
  }

  /**
   * Before anything runs, when the archive is the only source of packages: every package to install
   * is in its verified index (as a package or something a package provides). An unknown name fails
   * here, within seconds, naming the nearest names the index has, instead of after the bootstrap.
   * The index is read through the index cache, which the bootstrap then reads again without a
   * download.
   */
  @Override
  public void verify(StageContext context) throws ImageBuildException {
    if (options.knownIn() == null || install.isEmpty()) {
      return;
    }
    try {
      BootstrapStage.requireKnownPackages(
          install, PackageUniverse.of(BootstrapStage.fetchArchive(options.knownIn(), context)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildCancelledException("cancelled while reading the archive's index", e);
    }
  }

  @Override
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    HostNetwork.provide(context.rootfs());
    updateLists(context, options.architecture().debianName());
    AptInstaller installer = new AptInstaller();
    if (!install.isEmpty()) {
      installer.install(context, List.of(), install);
    }
    if (!purge.isEmpty()) {
      context.run(Command.of(aptGet(List.of("purge", "--yes", "--auto-remove"), purge)));
    }
    recordOrigins(context);
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
    context.run(Command.of("apt-get", "update"));
  }

  /**
   * Records, for the manifest, the sha256 and repository of each .deb apt downloaded (apt keeps
   * them in its archive cache until the finalise stage empties it).
   */
  private static void recordOrigins(StageContext context) throws ImageBuildException {
    List<PackageOrigin> origins = new ArrayList<>();
    Path archives = context.rootfs().resolve("var/cache/apt/archives");
    if (!Files.isDirectory(archives, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (DirectoryStream<Path> debs = Files.newDirectoryStream(archives, "*.deb")) {
      for (Path file : debs) {
        DebFile deb = DebFile.open(file);
        String sha256 = Sha256.ofFile(file);
        origins.add(
            new PackageOrigin(
                deb.packageName(),
                deb.control().get("Version").orElse(""),
                deb.architecture(),
                sha256,
                ArchiveHashes.repositoryOf(context, sha256)));
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot read the packages apt downloaded: " + e.getMessage(), e);
    }
    context.addPackageOrigins(origins);
  }

  private static List<String> aptGet(List<String> action, List<String> packages) {
    List<String> argv = new ArrayList<>();
    argv.add("apt-get");
    argv.addAll(action);
    argv.addAll(packages);
    return argv;
  }
}
