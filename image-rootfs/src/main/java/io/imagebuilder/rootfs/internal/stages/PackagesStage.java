package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.error.BuildCancelledException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.AptSource;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.LocalPackage;
import io.imagebuilder.api.spec.Lock.LockedPackage;
import io.imagebuilder.api.stage.PackageOrigin;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.internal.deb822.Deb822;
import io.imagebuilder.internal.deb822.DpkgState;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.rootfs.internal.cache.PackageCache;
import io.imagebuilder.rootfs.internal.deb.DebCheck;
import io.imagebuilder.rootfs.internal.deb.DebFile;
import io.imagebuilder.rootfs.internal.deb.DebFormatException;
import io.imagebuilder.rootfs.internal.repo.IndexCache;
import io.imagebuilder.rootfs.internal.repo.PackageUniverse;
import io.imagebuilder.rootfs.internal.repo.Repository;
import io.imagebuilder.rootfs.internal.repo.RepositoryClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>With a lock ({@code locked}), verify checks, before any stage runs, that every locked package
 * (the bootstrap's too) can be obtained ({@link LockedDebs}) and fails naming every one that
 * cannot; run gives apt every locked package not installed yet as a checked .deb file, and marks
 * those the spec did not ask for automatic.
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
   * @param locked the lock the packages are installed from, or null to let apt pick from the
   *     current indexes
   */
  record Options(
      Architecture architecture,
      List<String> install,
      List<String> purge,
      ArchiveOptions knownIn,
      Locked locked) {
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
          archiveOnly && !spec.packages().isEmpty() ? ArchiveOptions.of(spec) : null,
          spec.lock() == null
              ? null
              : new Locked(
                  spec.lock().packages(),
                  ArchiveOptions.of(spec),
                  spec.repositories(),
                  spec.localPackages().stream().map(LocalPackage::sha256).sorted().toList()));
    }
  }

  /**
   * A locked install: every locked package the rootfs does not have yet, at its locked version,
   * from the .deb with its locked sha256 ({@link LockedDebs}).
   *
   * @param packages the locked packages
   * @param archive the archive whose current index may still list a locked .deb
   * @param repositories the extra repositories whose current indexes may still list one
   * @param localSha256 sha256 of the local packages, which the local repository serves
   */
  record Locked(
      List<LockedPackage> packages,
      ArchiveOptions archive,
      List<AptSource> repositories,
      List<String> localSha256) {
    Locked {
      packages = List.copyOf(packages);
      repositories = List.copyOf(repositories);
      localSha256 = List.copyOf(localSha256);
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
        || spec.board() != null
        || spec.lock() != null;
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
    if (options.locked() != null) {
      try {
        // every locked package, the bootstrap's too: a lock that cannot be installed fails here
        LockedDebs.find(
            options.locked().packages(),
            new PackageCache(context.cacheDir().resolve("packages")),
            Set.copyOf(options.locked().localSha256()),
            () -> currentIndexes(context));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BuildCancelledException("cancelled while reading the repositories' indexes", e);
      }
    }
    if (options.knownIn() == null || install.isEmpty()) {
      return;
    }
    try {
      PackageUniverse universe =
          PackageUniverse.of(BootstrapStage.fetchArchive(options.knownIn(), context));
      BootstrapStage.requireKnownPackages(install, universe);
      BootstrapStage.requireInstallable(install, universe);
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
    if (options.locked() != null) {
      installLocked(context);
    } else if (!install.isEmpty()) {
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
    context.run(Command.of("apt-get", "update").withNetwork());
  }

  /** The current indexes of the archive and the extra repositories, read and verified. */
  private List<Repository> currentIndexes(StageContext context)
      throws ImageBuildException, InterruptedException {
    Locked locked = options.locked();
    List<Repository> out = new ArrayList<>();
    out.addAll(BootstrapStage.fetchArchive(locked.archive(), context));
    RepositoryClient client =
        new RepositoryClient()
            .withIndexCache(new IndexCache(context.cacheDir().resolve("indexes")));
    for (AptSource s : locked.repositories()) {
      out.add(
          client.fetch(
              SourcesStage.sourceOf(s, options.architecture().debianName()),
              context::progressBytes));
    }
    return out;
  }

  /**
   * Installs every locked package the rootfs does not have at its locked version: the .debs
   * (checked) given to apt as files, the local repository's by {@code name:arch=version}; the ones
   * not asked for by the spec are marked automatic, as a plain install leaves dependencies.
   */
  private void installLocked(StageContext context)
      throws ImageBuildException, InterruptedException {
    Map<String, String> installed = installedVersions(context.rootfs());
    List<LockedPackage> todo = new ArrayList<>();
    for (LockedPackage p : options.locked().packages()) {
      if (!p.version().equals(installed.get(p.name() + ":" + p.architecture()))) {
        todo.add(p);
      }
    }
    if (todo.isEmpty()) {
      context.log("locked install: every locked package is installed");
      return;
    }
    PackageCache cache = new PackageCache(context.cacheDir().resolve("packages"));
    LockedDebs.Found found =
        LockedDebs.find(
            todo, cache, Set.copyOf(options.locked().localSha256()), () -> currentIndexes(context));
    List<Path> downloaded =
        cache.fetchAll(
            List.copyOf(found.downloads().values()),
            4,
            (done, total) -> context.progressBytes("downloading packages", done, total));
    Map<LockedPackage, Path> files = new LinkedHashMap<>(found.cached());
    int i = 0;
    for (LockedPackage p : found.downloads().keySet()) {
      files.put(p, downloaded.get(i++));
    }
    Path dir = AptInstaller.debsDirectory(context.rootfs());
    if (dir == null) {
      throw new ImageBuildException(
          "cannot install from the lock: the image's "
              + AptInstaller.DEBS
              + " is not a plain directory (expected /var/cache to be a directory)");
    }
    String nativeArch = AptInstaller.targetArchitecture(context.rootfs());
    try {
      List<String> debs = new ArrayList<>();
      List<PackageOrigin> origins = new ArrayList<>();
      for (LockedPackage p : todo) {
        Path file = files.get(p);
        if (file == null) {
          continue; // from the local repository
        }
        DebFile deb = DebFile.open(file);
        DebCheck.check(deb);
        String name = p.name() + "_" + p.version().replace(":", "%3a") + "_" + p.architecture();
        Files.copy(file, dir.resolve(name + ".deb"), StandardCopyOption.REPLACE_EXISTING);
        debs.add(AptInstaller.DEBS + "/" + name + ".deb");
        origins.add(
            new PackageOrigin(p.name(), p.version(), p.architecture(), p.sha256(), p.repository()));
      }
      List<String> local = found.local().stream().map(LockedPackage::entry).toList();
      context.log(
          "locked install: "
              + debs.size()
              + " .debs ("
              + found.cached().size()
              + " from the package cache), "
              + local.size()
              + " from the local repository");
      context.run(AptInstaller.command(List.of(), debs, local));
      context.addPackageOrigins(origins);
      List<String> automatic = new ArrayList<>();
      for (LockedPackage p : todo) {
        String ref =
            p.architecture().equals("all") || p.architecture().equals(nativeArch)
                ? p.name()
                : p.name() + ":" + p.architecture();
        if (!install.contains(p.name()) && !install.contains(ref)) {
          automatic.add(ref);
        }
      }
      if (!automatic.isEmpty()) {
        List<String> mark = new ArrayList<>(List.of("apt-mark", "auto"));
        mark.addAll(automatic);
        context.run(Command.of(mark));
      }
    } catch (IOException | DebFormatException e) {
      throw new ImageBuildException("cannot install the locked packages: " + e.getMessage(), e);
    } finally {
      AptInstaller.delete(dir);
    }
  }

  /** {@code name:arch} -> version of every package dpkg has installed. */
  private static Map<String, String> installedVersions(Path root) throws ImageBuildException {
    Map<String, String> out = new HashMap<>();
    Path status = root.resolve("var/lib/dpkg/status");
    if (!Files.isRegularFile(status, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try (InputStream in = Files.newInputStream(status)) {
      Deb822.parse(
          in,
          s -> {
            if (DpkgState.of(s).installed() && s.has("Package")) {
              out.put(s.get("Package") + ":" + s.get("Architecture"), s.get("Version"));
            }
          });
    } catch (IOException | IllegalArgumentException e) {
      throw new ImageBuildException(
          "cannot read the installed packages from " + status + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Records, for the manifest, the sha256 and repository of each .deb apt downloaded (apt keeps
   * them in its archive cache until the finalise stage empties it), and keeps a copy of each in the
   * package cache, where a build from this build's lock finds it once the repository has moved on.
   */
  private static void recordOrigins(StageContext context) throws ImageBuildException {
    List<PackageOrigin> origins = new ArrayList<>();
    Path archives = context.rootfs().resolve("var/cache/apt/archives");
    if (!Files.isDirectory(archives, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    PackageCache cache = new PackageCache(context.cacheDir().resolve("packages"));
    try (DirectoryStream<Path> debs = Files.newDirectoryStream(archives, "*.deb")) {
      for (Path file : debs) {
        DebFile deb = DebFile.open(file);
        String sha256 = Sha256.ofFile(file);
        cache.fetch(file.toUri(), sha256, Files.size(file));
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
