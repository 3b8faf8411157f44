package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.stage.ContextKey;
import io.imagebuilder.api.stage.PackageInstaller;
import io.imagebuilder.api.stage.PackageOrigin;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.internal.concurrent.TaskPool;
import io.imagebuilder.internal.deb822.Deb822;
import io.imagebuilder.internal.deb822.DpkgState;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.io.RootfsPaths;
import io.imagebuilder.internal.io.SafeDelete;
import io.imagebuilder.rootfs.internal.cache.Download;
import io.imagebuilder.rootfs.internal.cache.PackageCache;
import io.imagebuilder.rootfs.internal.deb.DebCheck;
import io.imagebuilder.rootfs.internal.deb.DebFile;
import io.imagebuilder.rootfs.internal.deb.DebFormatException;
import io.imagebuilder.rootfs.internal.deb.DebRepacker;
import io.imagebuilder.rootfs.internal.deb.DpkgDatabase;
import io.imagebuilder.rootfs.internal.deb.Posix;
import io.imagebuilder.rootfs.internal.deb.RepackedDebs;
import io.imagebuilder.rootfs.internal.deb.SafeExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs {@code apt-get install} in the target; when the target runs under qemu-user, with the .debs
 * fetched and decompressed natively first, since emulated dpkg-deb spends most of an install
 * decompressing data.tar.xz.
 *
 * <p>The native way: apt lists what it would download ({@link AptPrintUris}); each http(s) .deb
 * comes from the package cache, checked against apt's SHA256, and is repacked with a data.tar that
 * is cheap to decompress (zstd's fastest level when the target's dpkg reads zstd, else none; {@link
 * DebRepacker}; once per package cache: {@link RepackedDebs}) into {@value #DEBS} in the target;
 * apt then installs those files, given on its command line beside the original arguments, and
 * downloads only what was left to it (file: or copy: repositories). apt marks packages given as
 * files as installed by hand, so the ones pulled in only as dependencies are marked automatic
 * again, as a plain install leaves them. The directory is removed afterwards, also on failure. The
 * .debs' origins (their archive sha256 and repository) are recorded for the manifest, since they
 * never reach apt's archive cache.
 *
 * <p>A directory that one freshly installed package fills alone (a kernel's {@code /lib/modules})
 * is written natively and skipped by dpkg ({@link PrivateSubtrees}; the system property {@code
 * imagebuilder.nativeSubtrees=false} turns that off, {@code imagebuilder.nativeDebs=false} the
 * whole native way).
 *
 * <p>When the transaction replaces no command the target has (only fresh packages, none shipping a
 * file where the target has one in {@code /bin} or {@code /usr/bin}), its apt run allows native
 * helpers ({@link Command#nativeHelpers()}): the maintainer scripts' shell and tools run as the
 * host's builds of the same versions, several times faster than emulated.
 *
 * <p>No .deb reaches dpkg unchecked ({@link DebCheck}): apt first only downloads ({@code
 * --download-only}), every .deb then in its archive cache is checked natively, and only then does
 * apt install; the natively fetched ones are checked as they are repacked, before apt sees them.
 * (.debs of a {@code file:} source are used in place by apt; the local repository's are checked by
 * its stage.)
 *
 * <p>Arguments other than plain package names (versions, releases, globs, a trailing {@code -} or
 * {@code +}) or naming a package apt would not download and that is not installed (a virtual one:
 * apt picks the provider to mark) are left to a plain install, so the marks stay apt's.
 */
public final class AptInstaller implements PackageInstaller {
  static final String DEBS = "/var/cache/imagebuilder/debs";

  /** The apt option that has dpkg unpack without a sync per file. */
  static final String UNSAFE_IO = "Dpkg::Options::=--force-unsafe-io";

  static final String ARCHIVES = "/var/cache/apt/archives";
  private static final Pattern PLAIN_NAME =
      Pattern.compile("[a-z0-9][a-z0-9.+-]*[a-z0-9.](:[a-z0-9-]+)?");
  private static final int DOWNLOADS = 4;

  /** The sha256 of every .deb this build checked, so a later install does not read it again. */
  private static final ContextKey<CheckedDebs> CHECKED =
      ContextKey.of("rootfs.checkedDebs", CheckedDebs.class);

  /**
   * The installer; it keeps no state (what a build checked is in its context), so one serves every
   * build ({@link java.util.ServiceLoader}).
   */
  public AptInstaller() {}

  /** The sha256 of the .debs a build has checked. */
  record CheckedDebs(Set<String> sha256) {
    CheckedDebs {
      sha256 = Set.copyOf(sha256);
    }
  }

  private static Set<String> checkedBefore(StageContext context) {
    return new HashSet<>(context.get(CHECKED).map(CheckedDebs::sha256).orElse(Set.of()));
  }

  /**
   * Whether this build installs native .debs: when the target is emulated, unless the system
   * property {@code imagebuilder.nativeDebs} is {@code false}.
   */
  static boolean nativeDebs(StageContext context) {
    return context.executor().name().equals("qemu-user")
        && !"false".equals(System.getProperty("imagebuilder.nativeDebs"));
  }

  @Override
  public void install(StageContext context, List<String> options, List<String> packages)
      throws ImageBuildException, InterruptedException {
    if (nativeDebs(context) && packages.stream().allMatch(p -> PLAIN_NAME.matcher(p).matches())) {
      Path dir = debsDirectory(context.rootfs());
      if (dir != null) {
        try {
          installNatively(context, dir, options, packages);
        } finally {
          delete(dir);
        }
        return;
      }
    }
    run(context, options, List.of(), packages);
  }

  /** Downloads, checks every .deb apt now holds, then installs. */
  private void run(
      StageContext context, List<String> options, List<String> files, List<String> packages)
      throws ImageBuildException, InterruptedException {
    List<String> download = new ArrayList<>(List.of("--download-only"));
    download.addAll(options);
    // the one apt command that fetches: everything after it runs without network
    context.run(command(download, files, packages).withNetwork());
    checkArchiveCache(context);
    context.run(command(options, files, packages));
  }

  /** Checks each .deb in apt's archive cache not checked before, natively, before dpkg sees it. */
  private void checkArchiveCache(StageContext context) throws ImageBuildException {
    Path archives;
    try {
      archives = RootfsPaths.resolve(context.rootfs(), ARCHIVES);
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot find apt's archive cache " + ARCHIVES + " in the rootfs: " + e.getMessage(), e);
    }
    if (!Files.isDirectory(archives, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> debs = new ArrayList<>();
    try (DirectoryStream<Path> found = Files.newDirectoryStream(archives, "*.deb")) {
      found.forEach(debs::add);
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot list " + ARCHIVES + " in the rootfs: " + e.getMessage(), e);
    }
    debs.sort(null);
    Set<String> checked = checkedBefore(context);
    int n = 0;
    for (Path file : debs) {
      context.checkCancelled();
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new ImageBuildException(
            "apt's archive cache holds "
                + file.getFileName()
                + ", which is not a regular file (expected the .debs apt downloaded)");
      }
      String sha256;
      try {
        sha256 = Sha256.ofFile(file);
      } catch (IOException e) {
        throw new ImageBuildException(
            "cannot read " + ARCHIVES + "/" + file.getFileName() + ": " + e.getMessage(), e);
      }
      if (!checked.contains(sha256)) {
        DebCheck.check(DebFile.open(file));
        checked.add(sha256);
      }
      context.progress("checking packages", ++n, debs.size());
    }
    context.put(CHECKED, new CheckedDebs(checked));
  }

  private void installNatively(
      StageContext context, Path dir, List<String> options, List<String> packages)
      throws ImageBuildException, InterruptedException {
    List<String> ask =
        new ArrayList<>(
            List.of(
                "sh",
                "-c",
                "exec \"$@\" > " + DEBS + "/uris",
                "sh",
                "apt-get",
                "install",
                "--print-uris",
                "-qq",
                "--yes",
                "--no-install-recommends",
                "-o",
                "Acquire::ForceHash=SHA256"));
    ask.addAll(options);
    ask.addAll(packages);
    context.run(new Command(ask, Map.of("DEBIAN_FRONTEND", "noninteractive"), null, null));
    List<AptPrintUris.Entry> entries;
    Set<String> installedBefore;
    try {
      entries = AptPrintUris.parse(Files.readString(dir.resolve("uris"), StandardCharsets.UTF_8));
      Files.delete(dir.resolve("uris"));
      installedBefore = installedPackages(context.rootfs());
    } catch (IOException | IllegalArgumentException e) {
      throw new ImageBuildException("cannot read what apt would download: " + e.getMessage(), e);
    }
    List<AptPrintUris.Entry> fetched =
        entries.stream().filter(AptPrintUris.Entry::fetchable).toList();
    Set<String> names = new HashSet<>();
    for (AptPrintUris.Entry e : fetched) {
      names.add(packageName(e.fileName()));
    }
    for (String p : packages) {
      String name = p.contains(":") ? p.substring(0, p.indexOf(':')) : p;
      if (!names.contains(name) && !installedBefore.contains(name)) {
        context.log(
            "native .debs: "
                + p
                + " is neither downloaded nor installed (a virtual package?): plain apt install");
        run(context, options, List.of(), packages);
        return;
      }
    }
    if (fetched.isEmpty()) {
      run(context, options, List.of(), packages);
      return;
    }
    List<Download> downloads = new ArrayList<>();
    for (AptPrintUris.Entry e : fetched) {
      downloads.add(new Download(e.uri(), e.sha256(), e.size()));
    }
    long started = System.nanoTime();
    PackageCache cache = new PackageCache(context.cacheDir().resolve("packages"));
    List<Path> files =
        cache.fetchAll(
            downloads,
            DOWNLOADS,
            (done, total) -> context.progressBytes("downloading packages", done, total));
    long downloaded = System.nanoTime();
    List<PackageOrigin> origins = new ArrayList<>();
    List<String> local = new ArrayList<>();
    Set<String> dependencies = new LinkedHashSet<>();
    String nativeArch = targetArchitecture(context.rootfs());
    boolean zstd = dpkgReadsZstd(context.rootfs());
    Set<String> checked = checkedBefore(context);
    List<Repacked> debs = repackAll(context, dir, fetched, files, zstd, checked);
    List<String> installOptions = new ArrayList<>(options);
    installOptions.addAll(
        unpackPrivateSubtrees(context, dir, fetched, debs, installedBefore, zstd));
    for (int i = 0; i < fetched.size(); i++) {
      AptPrintUris.Entry e = fetched.get(i);
      DebFile deb = debs.get(i).deb();
      origins.add(
          new PackageOrigin(
              deb.packageName(),
              deb.control().get("Version").orElse(""),
              deb.architecture(),
              e.sha256(),
              ArchiveHashes.repositoryOf(context, e.sha256())));
      String ref =
          deb.architecture().equals("all") || deb.architecture().equals(nativeArch)
              ? deb.packageName()
              : deb.packageName() + ":" + deb.architecture();
      if (!packages.contains(deb.packageName())
          && !packages.contains(ref)
          && !installedBefore.contains(deb.packageName())) {
        dependencies.add(ref);
      }
      local.add(DEBS + "/" + e.fileName());
    }
    context.log(
        String.format(
            "native .debs: %d fetched in %.1f s, repacked (or their kept copies checked) in %.1f s",
            fetched.size(), (downloaded - started) / 1e9, (System.nanoTime() - downloaded) / 1e9));
    context.put(CHECKED, new CheckedDebs(checked));
    Set<String> fresh = new HashSet<>(names);
    fresh.removeAll(installedBefore);
    boolean placeholders = UnneededHostKeys.apply(context.rootfs(), fresh);
    if (placeholders) {
      installOptions.addAll(UnneededHostKeys.hook(dir, DEBS));
    }
    if (fetched.size() == entries.size()) {
      // every .deb is here, checked
      Command install = command(installOptions, local, packages);
      context.run(
          replacesNoCommand(context.rootfs(), debs, installedBefore)
              ? install.withNativeHelpers()
              : install);
    } else {
      run(context, installOptions, local, packages); // apt fetches the rest itself: checked after
    }
    if (placeholders && !UnneededHostKeys.removePlaceholders(context.rootfs()).isEmpty()) {
      context.log(
          "SSH host keys: none made at build time (finalise would delete them; the image makes"
              + " its own at first boot)");
    }
    context.addPackageOrigins(origins);
    if (!dependencies.isEmpty()) {
      List<String> mark = new ArrayList<>(List.of("apt-mark", "auto"));
      mark.addAll(dependencies);
      context.run(Command.of(mark));
    }
  }

  /**
   * Whether the transaction leaves every file the target has in {@code /bin} and {@code /usr/bin}
   * in place, so that its apt run may have native helpers ({@link Command#nativeHelpers()}), whose
   * binds dpkg could not replace: only fresh packages (an upgrade may drop files), none of them
   * shipping a file where the target has one.
   */
  private static boolean replacesNoCommand(
      Path root, List<Repacked> debs, Set<String> installedBefore) throws ImageBuildException {
    for (Repacked r : debs) {
      if (installedBefore.contains(r.deb().packageName())
          || shipsExistingCommand(root, r.entries())) {
        return false;
      }
    }
    return true;
  }

  /** Whether one of {@code entries} is a file in /bin or /usr/bin where {@code root} has one. */
  static boolean shipsExistingCommand(Path root, List<DebRepacker.Listed> entries)
      throws ImageBuildException {
    try {
      for (DebRepacker.Listed e : entries) {
        String parent = e.path().substring(0, Math.max(e.path().lastIndexOf('/'), 0));
        if (!e.directory()
            && (parent.equals("/bin") || parent.equals("/usr/bin"))
            && Files.exists(RootfsPaths.resolve(root, e.path()), LinkOption.NOFOLLOW_LINKS)) {
          return true;
        }
      }
      return false;
    } catch (IOException | IllegalArgumentException e) {
      throw new ImageBuildException("cannot read the target's commands: " + e.getMessage(), e);
    }
  }

  /** A fetched .deb, repacked: the original opened, and its data entries in archive order. */
  private record Repacked(DebFile deb, List<DebRepacker.Listed> entries) {}

  /**
   * Checks and repacks each fetched .deb into {@code dir}, one per core at a time: each is
   * decompressed once, checked and listed on the way. Returns them in order and adds them to {@code
   * checked}. On failure no task is left writing into {@code dir}, which the caller then deletes.
   */
  private static List<Repacked> repackAll(
      StageContext context,
      Path dir,
      List<AptPrintUris.Entry> fetched,
      List<Path> files,
      boolean zstd,
      Set<String> checked)
      throws ImageBuildException, InterruptedException {
    for (AptPrintUris.Entry e : fetched) {
      if (e.fileName().contains("/") || e.fileName().startsWith(".")) {
        throw new ImageBuildException("unexpected .deb file name '" + e.fileName() + "' from apt");
      }
    }
    RepackedDebs kept = new RepackedDebs(context.cacheDir().resolve("packages"));
    try (TaskPool pool =
        TaskPool.of("deb-repack", TaskPool.threadsFor(fetched.size()), Duration.ofMinutes(1))) {
      List<Future<Repacked>> tasks = new ArrayList<>();
      for (int i = 0; i < fetched.size(); i++) {
        AptPrintUris.Entry e = fetched.get(i);
        Path file = files.get(i);
        tasks.add(pool.submit(() -> repack(kept, file, dir.resolve(e.fileName()), zstd)));
      }
      List<Repacked> debs = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        context.checkCancelled();
        debs.add(result(tasks.get(i), fetched.get(i).fileName()));
        checked.add(fetched.get(i).sha256());
        context.progress("decompressing packages natively", i + 1, fetched.size());
      }
      return debs;
    }
  }

  // Checked even when checked before in this build: the one pass that lists it checks it at no
  // cost.
  private static Repacked repack(RepackedDebs kept, Path file, Path target, boolean zstd)
      throws IOException, ImageBuildException {
    DebFile deb = DebFile.open(file);
    DebCheck.checkControl(deb);
    return new Repacked(deb, kept.copyTo(file, zstd, target, DebCheck.dataEntries(deb)));
  }

  private static <T> T result(Future<T> task, String fileName)
      throws ImageBuildException, InterruptedException {
    try {
      return task.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ImageBuildException ibe && !(cause instanceof DebFormatException)) {
        throw ibe; // an unsafe package: its message names package and entry
      }
      throw new ImageBuildException("cannot repack " + fileName + ": " + cause.getMessage(), cause);
    }
  }

  /**
   * Writes the {@link PrivateSubtrees} of the transaction natively and empties their files in the
   * repacked .debs; returns the dpkg options that have dpkg skip them (none when the JVM cannot set
   * the archive's owners, or the build turned it off).
   */
  private static List<String> unpackPrivateSubtrees(
      StageContext context,
      Path dir,
      List<AptPrintUris.Entry> fetched,
      List<Repacked> debs,
      Set<String> installedBefore,
      boolean zstd)
      throws ImageBuildException, InterruptedException {
    if (!Posix.isRoot() || "false".equals(System.getProperty("imagebuilder.nativeSubtrees"))) {
      return List.of();
    }
    List<PrivateSubtrees.Package> packages = new ArrayList<>();
    for (Repacked r : debs) {
      packages.add(
          new PrivateSubtrees.Package(
              !installedBefore.contains(r.deb().packageName()),
              r.entries(),
              r.deb().conffiles(),
              DpkgDatabase.triggerInterests(r.deb()).stream()
                  .filter(DpkgDatabase.TriggerInterest::isFileTrigger)
                  .map(DpkgDatabase.TriggerInterest::trigger)
                  .toList()));
    }
    Map<Integer, PrivateSubtrees.Choice> chosen;
    try {
      chosen = PrivateSubtrees.choose(context.rootfs(), packages);
    } catch (IOException e) {
      throw new ImageBuildException("cannot read the target's dpkg state: " + e.getMessage(), e);
    }
    List<String> options = new ArrayList<>();
    for (Map.Entry<Integer, PrivateSubtrees.Choice> c : chosen.entrySet()) {
      context.checkCancelled();
      Path repacked = dir.resolve(fetched.get(c.getKey()).fileName());
      Path emptied = dir.resolve(fetched.get(c.getKey()).fileName() + ".part");
      String subtree = c.getValue().directory();
      DebFile deb = debs.get(c.getKey()).deb();
      try {
        new SafeExtractor().extractDirectory(DebFile.open(repacked), context.rootfs(), subtree);
        DebRepacker.emptyFilesBelow(repacked, emptied, zstd, subtree);
        Files.move(emptied, repacked, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new ImageBuildException(
            "cannot unpack " + subtree + " of " + deb.packageName() + ": " + e.getMessage(), e);
      }
      options.addAll(List.of("-o", "Dpkg::Options::=--path-exclude=" + subtree + "/*"));
      context.log(
          "native .debs: "
              + subtree
              + " of "
              + deb.packageName()
              + " unpacked natively ("
              + c.getValue().entries()
              + " entries), dpkg skips it");
    }
    return options;
  }

  static Command command(List<String> options, List<String> files, List<String> packages) {
    List<String> argv =
        new ArrayList<>(List.of("apt-get", "install", "--yes", "--no-install-recommends"));
    // dpkg fsyncs every file it unpacks, for a system that must survive a power cut mid-upgrade;
    // a build's tree is thrown away when the build fails, and the bytes are the same without it
    argv.addAll(List.of("-o", UNSAFE_IO));
    argv.addAll(options);
    argv.addAll(files);
    argv.addAll(packages);
    return new Command(argv, Map.of("DEBIAN_FRONTEND", "noninteractive"), null, null);
  }

  /** {@code name_version_arch.deb} -> name. */
  static String packageName(String fileName) {
    int underscore = fileName.indexOf('_');
    return underscore < 0 ? fileName : fileName.substring(0, underscore);
  }

  /**
   * Creates the directory for the repacked .debs, or returns null when the image's {@code /var} or
   * {@code /var/cache} is not a plain directory (the native way is then skipped).
   */
  static Path debsDirectory(Path root) throws ImageBuildException {
    try {
      Path dir = root;
      for (String part : DEBS.substring(1).split("/")) {
        dir = dir.resolve(part);
        if (Files.isSymbolicLink(dir)) {
          return null;
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectory(dir);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot create " + DEBS + " in the rootfs: " + e.getMessage(), e);
    }
  }

  /**
   * Whether the target's dpkg-deb can read a zstd data member (dpkg 1.21.18 in Debian, earlier in
   * Ubuntu): its binary then names the compressor.
   */
  /**
   * The target's own architecture, as its dpkg database records it ({@code /var/lib/dpkg/arch}).
   */
  static String targetArchitecture(Path root) throws ImageBuildException {
    try {
      Path arch = io.imagebuilder.internal.io.RootfsPaths.resolve(root, "/var/lib/dpkg/arch");
      String first =
          Files.readAllLines(arch, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
      if (!first.matches("[a-z0-9][a-z0-9-]*")) {
        throw new ImageBuildException(
            "invalid architecture '"
                + first
                + "' in "
                + arch
                + " (expected dpkg's native architecture, e.g. arm64)");
      }
      return first;
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot read the target's architecture from /var/lib/dpkg/arch: " + e.getMessage(), e);
    }
  }

  static boolean dpkgReadsZstd(Path root) {
    Path dpkgDeb = root.resolve("usr/bin/dpkg-deb");
    try {
      if (!Files.isRegularFile(dpkgDeb, LinkOption.NOFOLLOW_LINKS)
          || Files.size(dpkgDeb) > 16 << 20) {
        return false;
      }
      return new String(Files.readAllBytes(dpkgDeb), StandardCharsets.ISO_8859_1).contains("zstd");
    } catch (IOException e) {
      return false;
    }
  }

  /** Names of the packages dpkg has installed ({@link DpkgState#installed}). */
  private static Set<String> installedPackages(Path root) throws IOException {
    Set<String> names = new HashSet<>();
    Path status = root.resolve("var/lib/dpkg/status");
    if (!Files.isRegularFile(status, LinkOption.NOFOLLOW_LINKS)) {
      return names;
    }
    try (InputStream in = Files.newInputStream(status)) {
      Deb822.parse(
          in,
          s -> {
            if (DpkgState.of(s).installed() && s.has("Package")) {
              names.add(s.get("Package"));
            }
          });
    } catch (IllegalArgumentException e) {
      throw new IOException(status + " is not a dpkg status file: " + e.getMessage(), e);
    }
    return names;
  }

  static void delete(Path dir) throws ImageBuildException {
    try {
      SafeDelete.deleteTreeOrThrow(dir);
      // Leave /var/cache/imagebuilder only if something else is in it.
      try (Stream<Path> rest = Files.list(dir.getParent())) {
        if (rest.findAny().isEmpty()) {
          Files.delete(dir.getParent());
        }
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot remove " + DEBS + " from the rootfs: " + e.getMessage(), e);
    }
  }
}
