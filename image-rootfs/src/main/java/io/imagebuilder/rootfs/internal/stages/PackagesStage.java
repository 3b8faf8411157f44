package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.PackageOrigin;
import io.imagebuilder.api.stage.StandardKeys;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.rootfs.internal.deb.DebFile;
import io.imagebuilder.rootfs.internal.repo.IndexCache;
import io.imagebuilder.rootfs.internal.repo.RepositoryClient;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code rootfs.packages}: installs the requested packages with apt inside the target and purges
 * the excluded ones.
 *
 * <p>apt's package lists are written natively first ({@link #updateLists}): an emulated {@code
 * apt-get update} spends seconds in emulated gpgv and xz on indexes the bootstrap already read
 * and verified.
 *
 * <p>Options: {@code install} (the spec's packages, plus sudo when a user needs it), {@code
 * purge}. Recommends are not installed, to keep images small and their contents explicit. The
 * executor keeps services from starting (policy-rc.d) while apt runs. Installs go through {@link
 * AptInstaller} (natively decompressed .debs under emulation), which later stages find in the
 * context. Where each installed .deb came from (sha256 and repository) is recorded for the
 * manifest.
 */
final class PackagesStage implements Stage {
  private final List<String> install;
  private final List<String> purge;

  PackagesStage(ImageSpec spec) {
    TreeSet<String> names = new TreeSet<>(spec.packages());
    if (spec.users().stream().anyMatch(u -> u.sudo())) {
      names.add("sudo");
    }
    this.install = List.copyOf(names);
    this.purge = spec.excludedPackages();
  }

  /**
   * Whether the spec asks for any package work at all; a board does, since its stage installs
   * the kernel with apt from the lists this stage updates.
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
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("install", install);
    o.put("purge", purge);
    return o;
  }

  @Override
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    HostNetwork.provide(context.rootfs());
    updateLists(context);
    AptInstaller installer = AptInstaller.forContext(context);
    context.put(StandardKeys.PACKAGE_INSTALLER, installer);
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
  static void updateLists(StageContext context) throws ImageBuildException, InterruptedException {
    if (!"false".equals(System.getProperty("imagebuilder.nativeLists"))) {
      long started = System.nanoTime();
      RepositoryClient client = new RepositoryClient()
          .withIndexCache(new IndexCache(context.cacheDir().resolve("indexes")));
      AptListsWriter writer = new AptListsWriter(context.rootfs(), context.spec().architecture().debianName(),
          client, Clock.systemUTC());
      try {
        AptListsWriter.Written written = writer.write(context::progressBytes);
        context.log(String.format(Locale.ROOT, "apt lists written natively: %s in %.1f s", written,
            (System.nanoTime() - started) / 1e9));
        return;
      } catch (AptListsWriter.Unsupported e) {
        context.log("apt lists not written natively (" + e.getMessage() + "): running apt-get update");
      }
    }
    context.run(Command.of("apt-get", "update"));
  }

  /**
   * Records, for the manifest, the sha256 and repository of each .deb apt downloaded (apt keeps
   * them in its archive cache until the finalise stage empties it).
   */
  private static void recordOrigins(StageContext context) throws ImageBuildException {
    Map<String, PackageOrigin> origins = new HashMap<>(
        context.get(StandardKeys.PACKAGE_ORIGINS).map(StandardKeys.Origins::byName).orElse(Map.of()));
    Path archives = context.rootfs().resolve("var/cache/apt/archives");
    if (!Files.isDirectory(archives, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (DirectoryStream<Path> debs = Files.newDirectoryStream(archives, "*.deb")) {
      for (Path file : debs) {
        DebFile deb = DebFile.open(file);
        String sha256 = Sha256.ofFile(file);
        origins.put(deb.packageName(), new PackageOrigin(deb.packageName(),
            deb.control().get("Version").orElse(""), deb.architecture(), sha256,
            ArchiveHashes.repositoryOf(context, sha256)));
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot read the packages apt downloaded: " + e.getMessage(), e);
    }
    context.put(StandardKeys.PACKAGE_ORIGINS, new StandardKeys.Origins(origins));
  }

  private static List<String> aptGet(List<String> action, List<String> packages) {
    List<String> argv = new ArrayList<>();
    argv.add("apt-get");
    argv.addAll(action);
    argv.addAll(packages);
    return argv;
  }
}
