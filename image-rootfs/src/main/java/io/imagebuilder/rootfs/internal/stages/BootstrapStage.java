package io.imagebuilder.rootfs.internal.stages;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.Distribution;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.Lock;
import io.imagebuilder.api.spec.Lock.LockedPackage;
import io.imagebuilder.api.spec.Variant;
import io.imagebuilder.api.stage.PackageOrigin;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.api.stage.UsedRepository;
import io.imagebuilder.rootfs.internal.cache.Download;
import io.imagebuilder.rootfs.internal.cache.PackageCache;
import io.imagebuilder.rootfs.internal.deb.DebFile;
import io.imagebuilder.rootfs.internal.deb.DpkgDatabase;
import io.imagebuilder.rootfs.internal.deb.Ownership;
import io.imagebuilder.rootfs.internal.deb.SafeExtractor;
import io.imagebuilder.rootfs.internal.repo.IndexCache;
import io.imagebuilder.rootfs.internal.repo.Keyring;
import io.imagebuilder.rootfs.internal.repo.PackageRecord;
import io.imagebuilder.rootfs.internal.repo.PackageUniverse;
import io.imagebuilder.rootfs.internal.repo.ReleaseInputs;
import io.imagebuilder.rootfs.internal.repo.Repository;
import io.imagebuilder.rootfs.internal.repo.RepositoryClient;
import io.imagebuilder.rootfs.internal.repo.RepositoryFetchException;
import io.imagebuilder.rootfs.internal.repo.RepositorySource;
import io.imagebuilder.rootfs.internal.repo.ResolutionException;
import io.imagebuilder.rootfs.internal.repo.Resolver;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * {@code rootfs.bootstrap}: makes a base Debian or Ubuntu system in the empty rootfs.
 *
 * <p>Natively, in the JVM: read and verify the InRelease of the series and of each suite beside it
 * (its updates and security suites, {@link ArchiveSuite}), each against its own key, read their
 * Packages indexes, resolve the variant's package set from all of them (the highest version of each
 * package, as apt takes it), download the .debs into the shared package cache, unpack them (merged
 * /usr) and write the dpkg database. Inside the target, through the executor, only what must run as
 * the target: each package's {@code preinst install}, then {@code dpkg --configure -a}. The result
 * is a proper system: {@code dpkg -l} lists every package as {@code ii}.
 *
 * <p>Speed: the parsed Packages index is kept in {@code <cache>/indexes/<sha256>.bin} (used only
 * when the verified Release lists that SHA256), so a warm build downloads and parses no index;
 * data.tar.xz members are decompressed by the host's {@code xz} (xz-utils) when installed, else in
 * the JVM. The configured tree is kept by the engine's stage cache like every tree-building stage's
 * (keyed by this stage's id and the InRelease it verified), so a warm build does not run this stage
 * at all. The log ends with the time of each step (index, resolve, download, unpack, preinst,
 * configure).
 *
 * <p>Options ({@link Options}): the archive (distribution, series, architecture, mirror,
 * components, mirrorKey, the suites beside the series), the variant and the lock, if any. Sets
 * SOURCE_DATE_EPOCH to the lock's, else the latest Date of the suites' Release files, when the spec
 * gives none.
 *
 * <p>With a lock, the variant's set is still resolved from the current indexes (which name the
 * packages), but each package is installed at its locked version from the .deb with its locked
 * sha256 ({@link LockedDebs}); a package of the set that the lock lacks fails the stage.
 */
final class BootstrapStage implements Stage {
  /** Parallel downloads: the archive is fast, the machine small. */
  private static final int DOWNLOADS = 8;

  /**
   * What the bootstrap reads.
   *
   * @param archive the archive the base system comes from
   * @param variant the package set (minbase, buildd, ...)
   * @param conffilesInPlace every conffile is also unpacked under its own name, as mmdebstrap's and
   *     debootstrap's first extraction leaves it, so a postinst finds another package's
   *     configuration whatever order dpkg configures them in (passwd's pwconv reads login's
   *     /etc/login.defs and gives root Debian's password ageing)
   * @param preinstAsDpkg each preinst runs as dpkg runs it: as {@code /var/lib/dpkg/tmp.ci/preinst}
   *     beside the package's control files, with dpkg's {@code DPKG_*} environment, so debconf
   *     registers the questions it asks to their package
   * @param lock the locked packages each package of the set is pinned to (its version and .deb
   *     sha256) and the lock's SOURCE_DATE_EPOCH, or null to take what the index lists now
   * @param laterPackages the spec's packages, which later stages install, for {@link
   *     LaterPackagesPrefetch} only; not part of the stage id, since the prefetch changes no byte
   *     of the output (and a changed package list keeps the cached bootstrap)
   */
  record Options(
      ArchiveOptions archive,
      Variant variant,
      boolean conffilesInPlace,
      boolean preinstAsDpkg,
      Pins lock,
      @JsonIgnore List<String> laterPackages) {
    Options {
      laterPackages = laterPackages == null ? List.of() : List.copyOf(laterPackages);
    }

    static Options of(ImageSpec spec) {
      Lock l = spec.lock();
      return new Options(
          ArchiveOptions.of(spec),
          spec.variant(),
          true,
          true,
          l == null ? null : new Pins(l.packages(), l.sourceDateEpoch()),
          spec.packages());
    }
  }

  /**
   * What the bootstrap reads of a lock.
   *
   * @param packages the locked packages
   * @param sourceDateEpoch the lock's timestamp clamp, or null
   */
  record Pins(List<LockedPackage> packages, Long sourceDateEpoch) {
    Pins {
      packages = List.copyOf(packages);
    }

    LockedPackage find(String name, String architecture) {
      return packages.stream()
          .filter(p -> p.name().equals(name) && p.architecture().equals(architecture))
          .findFirst()
          .orElse(null);
    }
  }

  private final Options options;
  private final ArchiveOptions archive;

  BootstrapStage(Options options) {
    this.options = options;
    this.archive = options.archive();
  }

  @Override
  public String type() {
    return "rootfs.bootstrap";
  }

  @Override
  public String summary() {
    return options.variant()
        + " "
        + archive.seriesRef()
        + " "
        + archive.architecture()
        + " from "
        + archive.mirror()
        + besides(archive);
  }

  /** The suites beside the series, for summaries: {@code " + bookworm-updates, ..."} or "". */
  static String besides(ArchiveOptions archive) {
    return archive.besides().isEmpty()
        ? ""
        : " + " + String.join(", ", archive.besides().stream().map(ArchiveSuite::suite).toList());
  }

  @Override
  public Phase phase() {
    return Phase.BOOTSTRAP;
  }

  @Override
  public Map<String, Object> options() {
    return StageOptions.of(options);
  }

  /**
   * Before anything runs: the target is empty and the archive's key is there (the packages stage
   * checks, also before anything runs, that the archive knows the requested packages).
   */
  @Override
  public void verify(StageContext context) throws ImageBuildException {
    requireEmptyWithKeys(context.rootfs(), archive.distribution(), archive.suites());
  }

  /**
   * What a first stage checks before anything runs: {@code root} is empty and every suite's key is
   * there (a missing keyring fails before any download).
   */
  static void requireEmptyWithKeys(Path root, Distribution distribution, List<ArchiveSuite> suites)
      throws ImageBuildException {
    requireEmpty(root);
    for (ArchiveSuite suite : suites) {
      keyring(distribution, suite);
    }
  }

  /**
   * Fails naming every requested package (name without {@code :arch} or {@code =version}) that
   * {@code universe} does not know, with the nearest names it does.
   */
  static void requireKnownPackages(List<String> packages, PackageUniverse universe)
      throws ImageBuildException {
    List<String> unknown = new ArrayList<>();
    for (String request : packages) {
      if (request.contains(":")) {
        continue; // another architecture's package: not in this index
      }
      String name = request.contains("=") ? request.substring(0, request.indexOf('=')) : request;
      if (!universe.knows(name)) {
        List<String> near = universe.nearestNames(name, 3);
        unknown.add(
            "'"
                + name
                + "'"
                + (near.isEmpty()
                    ? " (no similar name)"
                    : " (nearest: " + String.join(", ", near) + ")"));
      }
    }
    if (!unknown.isEmpty()) {
      throw new ImageBuildException(
          (unknown.size() == 1 ? "unknown package " : "unknown packages ")
              + String.join(", ", unknown)
              + " in "
              + universe.description()
              + " for "
              + universe.architecture()
              + " (expected names the archive's Packages index lists)");
    }
  }

  /**
   * Every requested package's dependencies can be met from {@code universe}, closed as the
   * bootstrap's resolver closes them (Depends and Pre-Depends, alternatives in order), else the
   * chain from the request to what is missing: a build that apt would refuse after the bootstrap
   * fails before it. Requests with a version or an architecture are left to apt.
   */
  static void requireInstallable(List<String> packages, PackageUniverse universe)
      throws ImageBuildException {
    List<String> names =
        packages.stream().filter(p -> !p.contains(":") && !p.contains("=")).toList();
    if (names.isEmpty()) {
      return;
    }
    try {
      Resolver.resolve(universe, Variant.ESSENTIAL, names);
    } catch (ResolutionException e) {
      throw new ImageBuildException(
          "cannot install "
              + String.join(", ", names)
              + " for "
              + universe.architecture()
              + ": "
              + e.getMessage()
              + " (expected packages whose dependencies the archive can meet)",
          e);
    }
  }

  static void requireEmpty(Path rootfs) throws ImageBuildException {
    Path abs = rootfs.toAbsolutePath().normalize();
    if (abs.getNameCount() < 2) {
      throw new ImageBuildException(
          "refusing to bootstrap into '" + abs + "' (a host system directory)");
    }
    try (Stream<Path> entries = Files.list(abs)) {
      if (entries.findAny().isPresent()) {
        throw new ImageBuildException(
            "refusing to bootstrap into '" + abs + "' (not empty; expected an empty directory)");
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot read the target directory " + abs + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    StepTimer timer = new StepTimer();
    Pins lock = options.lock();
    if (lock != null && lock.sourceDateEpoch() != null && context.sourceDateEpoch().isEmpty()) {
      context.setSourceDateEpoch(lock.sourceDateEpoch());
    }
    // owners other than root wait here in a rootless build, for the namespace to apply them
    Ownership owners = Ownership.forRoot(context.rootfs());
    Fetched fetched = fetch(context, timer);
    try (LaterPackagesPrefetch prefetch = fetched.prefetch()) {
      context.checkCancelled();
      List<DebFile> unpacked = unpack(context, fetched.packages(), fetched.debs(), owners);
      owners.applyPending(context);
      timer.lap("unpack");
      if (prefetch != null) {
        prefetch.repackFor(
            !AptInstaller.nativeDebs(context)
                ? LaterPackagesPrefetch.Repack.NONE
                : AptInstaller.dpkgReadsZstd(context.rootfs())
                    ? LaterPackagesPrefetch.Repack.ZSTD
                    : LaterPackagesPrefetch.Repack.PLAIN_TAR);
      }
      context.checkCancelled();
      configure(context, unpacked, timer);
      if (prefetch != null) {
        context.log(prefetch.summary());
      }
    }
    record(context, fetched.suites(), fetched.packages());
    context.log("bootstrap steps: " + timer.summary());
  }

  /**
   * What the unpack and configure steps need of the archive, and no more: the parsed indexes (most
   * of the heap a build uses) are unreachable once {@link #fetch} returns, so the heap does not
   * carry them through unpacking.
   *
   * @param suites the suites read, without their packages (for the manifest)
   * @param packages the set to install
   * @param debs their .debs in the package cache, in the same order
   * @param prefetch the later stages' downloads, or null
   */
  private record Fetched(
      List<Repository> suites,
      List<PackageOrigin> packages,
      List<Path> debs,
      LaterPackagesPrefetch prefetch) {}

  /** Reads the archive, resolves the set, downloads it and starts the later stages' downloads. */
  private Fetched fetch(StageContext context, StepTimer timer)
      throws ImageBuildException, InterruptedException {
    Pins lock = options.lock();
    List<Repository> read = readArchive(archive, context);
    timer.lap("index");
    PackageUniverse universe = PackageUniverse.of(read);
    List<PackageRecord> resolved = Resolver.resolve(universe, options.variant(), List.of());
    timer.lap("resolve");
    context.log("bootstrap set: " + resolved.size() + " packages (" + options.variant() + ")");
    context.checkCancelled();
    List<PackageOrigin> packages;
    List<Path> debs;
    if (lock == null) {
      packages = resolved.stream().map(BootstrapStage::origin).toList();
      debs = download(context, resolved, read);
    } else {
      packages = locked(lock, resolved);
      debs = downloadLocked(context, read, packages);
      context.log("bootstrap set pinned to the lock: " + packages.size() + " packages");
    }
    timer.lap("download");
    List<Repository> suites = read.stream().map(BootstrapStage::withoutPackages).toList();
    return new Fetched(suites, packages, debs, prefetch(context, universe, resolved, suites));
  }

  private static Repository withoutPackages(Repository r) {
    return new Repository(
        r.source(), r.release(), r.inReleaseSha256(), r.signedBy(), r.date(), List.of());
  }

  /**
   * The later stages' .debs, downloading while this stage unpacks and configures; null for a locked
   * build or when nothing is installed later.
   */
  private LaterPackagesPrefetch prefetch(
      StageContext context,
      PackageUniverse universe,
      List<PackageRecord> bootstrapSet,
      List<Repository> read) {
    List<String> names = LaterPackagesPrefetch.laterNames(options.laterPackages(), context.board());
    if (options.lock() != null || names.isEmpty()) {
      return null;
    }
    return LaterPackagesPrefetch.start(
        LaterPackagesPrefetch.beyond(universe, options.variant(), bootstrapSet, names),
        read,
        context.cacheDir());
  }

  /** The key of one suite: its key file, else the distribution's archive keyring. */
  static Keyring keyring(Distribution distribution, ArchiveSuite suite) throws ImageBuildException {
    try {
      if (suite.key() != null) {
        return Keyring.load(Path.of(suite.key()));
      }
      if (distribution == Distribution.DEBIAN) {
        return Keyring.debianArchive();
      }
      Path hostUbuntu = Path.of("/usr/share/keyrings/ubuntu-archive-keyring.gpg");
      if (Files.isReadable(hostUbuntu)) {
        return Keyring.load(hostUbuntu);
      }
      throw new ImageBuildException(
          "no key for the Ubuntu archive "
              + suite.uri()
              + ": Debian does not package Ubuntu's keyring;"
              + " pass it with withMirror(url, keyFile) (ubuntu-keyring's ubuntu-archive-keyring.gpg)");
    } catch (IOException | IllegalArgumentException e) {
      throw new ImageBuildException(
          "cannot read the key of mirror " + suite.uri() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads and verifies every suite of the spec's archive (indexes cached), remembers their
   * packages' hashes and sets SOURCE_DATE_EPOCH to the latest of their Release Dates when nothing
   * set it before.
   *
   * @return the series first, then the suites beside it
   */
  static List<Repository> readArchive(ArchiveOptions spec, StageContext context)
      throws ImageBuildException, InterruptedException {
    List<Repository> read = fetchArchive(spec, context);
    java.time.Instant latest = null;
    for (Repository suite : read) {
      ArchiveHashes.remember(context, suite);
      if (suite.date() != null && (latest == null || suite.date().isAfter(latest))) {
        latest = suite.date();
      }
    }
    if (context.sourceDateEpoch().isEmpty() && latest != null) {
      context.setSourceDateEpoch(latest.getEpochSecond());
    }
    return read;
  }

  /** Every suite of the spec's archive, read and verified, their indexes through the cache. */
  static List<Repository> fetchArchive(ArchiveOptions spec, StageContext context)
      throws ImageBuildException, InterruptedException {
    RepositoryClient client =
        new RepositoryClient()
            .withIndexCache(new IndexCache(context.cacheDir().resolve("indexes")));
    List<Repository> read = new ArrayList<>();
    for (ArchiveSuite suite : spec.suites()) {
      context.checkCancelled();
      try {
        read.add(client.fetch(source(spec, suite), context::progressBytes));
      } catch (RepositoryFetchException e) {
        if (!spec.besides().contains(suite)) {
          throw e;
        }
        // A mirror without the suite, or no way to Debian's security archive: say how to opt out.
        throw new RepositoryFetchException(
            e.getMessage()
                + "; "
                + suite.suite()
                + " is read beside "
                + spec.series()
                + " unless the spec leaves it out: "
                + (suite.security()
                    ? "withoutSecurity() (--no-security, \"security\": false)"
                    : "withoutUpdates() (--no-updates, \"updates\": false)"),
            e);
      }
    }
    return read;
  }

  /** How one suite of the spec's archive is read. */
  static RepositorySource source(ArchiveOptions spec, ArchiveSuite suite)
      throws ImageBuildException {
    return RepositorySource.signed(
        suite.name(),
        URI.create(suite.uri()),
        suite.suite(),
        spec.components(),
        spec.architecture().debianName(),
        keyring(spec.distribution(), suite));
  }

  private List<Path> download(
      StageContext context, List<PackageRecord> packages, List<Repository> suites)
      throws ImageBuildException {
    List<Download> downloads = new ArrayList<>();
    for (PackageRecord p : packages) {
      downloads.add(new Download(uriOf(p, suites), p.sha256(), p.size()));
    }
    PackageCache cache = new PackageCache(context.cacheDir().resolve("packages"));
    return cache.fetchAll(
        downloads,
        DOWNLOADS,
        (done, total) -> context.progressBytes("downloading packages", done, total));
  }

  private static PackageOrigin origin(PackageRecord p) {
    return new PackageOrigin(
        p.name(), p.version().toString(), p.architecture(), p.sha256(), p.repository());
  }

  /**
   * The lock's version of each package the variant's set has now; fails naming every one the lock
   * does not have (the archive's set grew since the lock was written).
   */
  static List<PackageOrigin> locked(Pins lock, List<PackageRecord> resolved)
      throws ImageBuildException {
    List<PackageOrigin> out = new ArrayList<>();
    List<String> unlocked = new ArrayList<>();
    for (PackageRecord p : resolved) {
      LockedPackage l = lock.find(p.name(), p.architecture());
      if (l == null) {
        unlocked.add(p.name() + ":" + p.architecture());
      } else {
        out.add(
            new PackageOrigin(l.name(), l.version(), l.architecture(), l.sha256(), l.repository()));
      }
    }
    if (!unlocked.isEmpty()) {
      throw new ImageBuildException(
          "the bootstrap set now has packages the lock does not: "
              + String.join(", ", unlocked)
              + " (expected every package of the set in the lock; rebuild without the lock to"
              + " write a new one)");
    }
    return out;
  }

  /** Each locked .deb from the package cache, else from a current index of the archive's suites. */
  private static List<Path> downloadLocked(
      StageContext context, List<Repository> read, List<PackageOrigin> packages)
      throws ImageBuildException, InterruptedException {
    PackageCache cache = new PackageCache(context.cacheDir().resolve("packages"));
    List<LockedPackage> wanted = new ArrayList<>();
    for (PackageOrigin p : packages) {
      wanted.add(
          new LockedPackage(
              p.name(), p.version(), p.architecture(), p.debSha256(), p.repository()));
    }
    LockedDebs.Found found = LockedDebs.find(wanted, cache, Set.of(), () -> read);
    List<Path> files =
        cache.fetchAll(
            List.copyOf(found.downloads().values()),
            DOWNLOADS,
            (done, total) -> context.progressBytes("downloading packages", done, total));
    Map<LockedPackage, Path> byPackage = new HashMap<>(found.cached());
    int i = 0;
    for (LockedPackage p : found.downloads().keySet()) {
      byPackage.put(p, files.get(i++));
    }
    return wanted.stream().map(byPackage::get).toList();
  }

  /** Where a package is downloaded from: the archive root of the suite that offers it. */
  static URI uriOf(PackageRecord p, List<Repository> suites) {
    for (Repository suite : suites) {
      if (suite.source().name().equals(p.repository())) {
        return URI.create(suite.source().uri().toString() + "/" + p.filename());
      }
    }
    throw new IllegalStateException(
        "package " + p.name() + " comes from '" + p.repository() + "', which was not read");
  }

  private List<DebFile> unpack(
      StageContext context, List<PackageOrigin> packages, List<Path> files, Ownership owners)
      throws ImageBuildException {
    Path root = context.rootfs();
    try {
      if (MergedUsr.applies(archive.seriesRef())) {
        MergedUsr.create(root, archive.architecture());
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot prepare merged /usr in " + root + ": " + e.getMessage(), e);
    }
    DpkgDatabase db = DpkgDatabase.init(root, archive.architecture().debianName());
    List<DebFile> debs = new ArrayList<>();
    for (Path f : files) {
      debs.add(DebFile.open(f));
    }
    AtomicInteger done = new AtomicInteger();
    int decoders = Math.max(1, Runtime.getRuntime().availableProcessors());
    SafeExtractor extractor = new SafeExtractor(owners);
    if (options.conffilesInPlace()) {
      extractor.withConffilesInPlace();
    }
    extractor.extractAll(
        debs,
        root,
        decoders,
        (deb, installed) -> {
          db.addUnpacked(deb, installed);
          context.progress("unpacking packages", done.incrementAndGet(), debs.size());
        });
    return debs;
  }

  /** Runs what dpkg would have run around unpacking, then configures everything. */
  private void configure(StageContext context, List<DebFile> debs, StepTimer timer)
      throws ImageBuildException, InterruptedException {
    List<DebFile> withPreinst = new ArrayList<>();
    for (DebFile deb : debs) {
      if (DpkgDatabase.maintainerScript(deb, "preinst").isPresent()) {
        // base-passwd's preinst creates /etc/passwd and /etc/group, which the others need.
        withPreinst.add(deb.packageName().equals("base-passwd") ? 0 : withPreinst.size(), deb);
      }
    }
    DpkgDatabase db = new DpkgDatabase(context.rootfs());
    String dpkgVersion =
        debs.stream()
            .filter(d -> d.packageName().equals("dpkg"))
            .map(DebFile::version)
            .findFirst()
            .orElse("");
    try {
      for (DebFile deb : withPreinst) {
        String script =
            options.preinstAsDpkg()
                ? db.stageControlArchive(deb)
                : DpkgDatabase.maintainerScript(deb, "preinst").orElseThrow();
        context.run(preinst(deb, script, dpkgVersion));
      }
    } finally {
      clearControlArchive(db);
    }
    timer.lap("preinst");
    // The essential set's maintainer scripts are shell: under emulation they run several times
    // faster with the host's tools (dpkg replaces no file while it configures).
    context.run(Command.of("dpkg", "--configure", "-a").withNativeHelpers());
    timer.lap("configure");
  }

  /** {@code <script> install} in the environment dpkg gives a preinst of a fresh install. */
  private Command preinst(DebFile deb, String script, String dpkgVersion) {
    Command command =
        Command.of(script, "install")
            .withEnvironment("DPKG_MAINTSCRIPT_PACKAGE", deb.packageName())
            .withEnvironment("DPKG_MAINTSCRIPT_NAME", "preinst")
            .withEnvironment("DPKG_MAINTSCRIPT_ARCH", deb.architecture())
            .withEnvironment("DPKG_ROOT", "");
    if (!options.preinstAsDpkg()) {
      return command;
    }
    // what dpkg 1.21 exports besides (DPKG_FORCE: its default forces)
    return command
        .withEnvironment("DPKG_MAINTSCRIPT_PACKAGE_REFCOUNT", "1")
        .withEnvironment("DPKG_MAINTSCRIPT_DEBUG", "0")
        .withEnvironment("DPKG_ADMINDIR", "/var/lib/dpkg")
        .withEnvironment("DPKG_FORCE", "security-mac,downgrade")
        .withEnvironment("DPKG_RUNNING_VERSION", dpkgVersion);
  }

  private static void clearControlArchive(DpkgDatabase db) throws ImageBuildException {
    try {
      db.clearControlArchive();
    } catch (IOException e) {
      throw new ImageBuildException("cannot remove " + DpkgDatabase.CONTROL_DIR + ": " + e, e);
    }
  }

  private void record(StageContext context, List<Repository> read, List<PackageOrigin> packages) {
    recordArchive(archive, context, read);
    context.addPackageOrigins(packages);
  }

  /**
   * Adds each suite of the spec's archive, as read, to the build's repositories (its provenance),
   * each with the sha256 of its own InRelease.
   */
  static void recordArchive(ArchiveOptions spec, StageContext context, List<Repository> suites) {
    for (Repository suite : suites) {
      RepositorySource source = suite.source();
      context.addRepository(
          new UsedRepository(
              source.name(),
              source.uri().toString(),
              source.suite(),
              spec.components(),
              suite.signedBy(),
              suite.inReleaseSha256(),
              suite.date() == null ? null : suite.date().toString()));
      context.recordInput(
          ReleaseInputs.release(source.uri().toString(), source.suite(), suite.inReleaseSha256()));
    }
  }
}
