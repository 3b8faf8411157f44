package io.imagebuilder.api;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.event.CompletedStage;
import io.imagebuilder.api.event.LogLine;
import io.imagebuilder.api.event.StageFinished;
import io.imagebuilder.api.exec.ExecutionStrategies;
import io.imagebuilder.api.exec.ExecutorProvider;
import io.imagebuilder.api.spec.AptSource;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.FileEntry;
import io.imagebuilder.api.spec.Hook;
import io.imagebuilder.api.spec.HookPoint;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.LocalPackage;
import io.imagebuilder.api.spec.Lock;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.spec.Ppa;
import io.imagebuilder.api.spec.UserAccount;
import io.imagebuilder.api.spec.Variant;
import io.imagebuilder.api.stage.Cancellation;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.PlanTransform;
import io.imagebuilder.internal.engine.BuildDirectories;
import io.imagebuilder.internal.engine.CacheLock;
import io.imagebuilder.internal.engine.Defaults;
import io.imagebuilder.internal.engine.Engine;
import io.imagebuilder.internal.engine.EventBus;
import io.imagebuilder.internal.engine.Planner;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.validate.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The fluent front of the library: describe an image, then {@link #build(Path)} it.
 *
 * <pre>{@code
 * BuildResult result = ImageBuilder.forSeries("bookworm")
 *     .withPackages("openssh-server")
 *     .forBoard("qemu-arm64")
 *     .build(Path.of("out"));
 * }</pre>
 *
 * <p>Every {@code with...} call checks its value at once and throws {@link
 * IllegalArgumentException} quoting a bad one. An ImageBuilder says what is built: what the image
 * contains is collected into an {@link ImageSpec}, and plan transforms say how its stages are
 * changed. Where and how it is built (output, cache and work directories, executor, listeners,
 * cancellation, timeout) is a {@link RunConfiguration}, given to {@link #build(RunConfiguration)}
 * or {@link #start(RunConfiguration)}. An ImageBuilder is not thread-safe; {@link #start} takes a
 * snapshot of it, so it may be changed and started again while the first build runs.
 */
public final class ImageBuilder {
  private static final AtomicInteger BUILD_THREADS = new AtomicInteger();

  private final ImageSpec.Builder spec;
  private Board board;
  private boolean architectureGiven;
  private final List<PlanTransform> planTransforms = new ArrayList<>();

  private ImageBuilder(ImageSpec.Builder spec) {
    this.spec = spec;
  }

  /**
   * Starts an image of {@code series}: a known code name such as {@code bookworm}, {@code trixie},
   * {@code sid}, {@code noble} or {@code jammy}, or {@code distribution/series}.
   *
   * @param series the code name, e.g. {@code bookworm}, or {@code distribution/series}
   * @return a new builder for that series
   * @throws IllegalArgumentException naming an unknown series
   */
  public static ImageBuilder forSeries(String series) {
    return new ImageBuilder(ImageSpec.builder(series));
  }

  /**
   * Starts from a complete spec, e.g. one read back from a manifest.
   *
   * @param spec the spec to start from; not null
   * @return a new builder holding that spec
   */
  public static ImageBuilder fromSpec(ImageSpec spec) {
    ImageBuilder b = new ImageBuilder(spec.toBuilder());
    b.architectureGiven = true;
    if (spec.board() != null) {
      b.board = Boards.find(spec.board());
    }
    return b;
  }

  /**
   * The archive mirror to bootstrap from, instead of the distribution's default; it must be signed
   * by the distribution's archive key.
   *
   * @param url the mirror's http(s) or file URL, e.g. {@code http://deb.debian.org/debian}
   * @return this builder
   * @throws IllegalArgumentException naming a malformed URL
   */
  public ImageBuilder withMirror(String url) {
    spec.mirror(url);
    return this;
  }

  /**
   * A mirror signed by the key in {@code keyFile} (e.g. an internal mirror or an Ubuntu archive).
   *
   * @param url the mirror's http(s) or file URL
   * @param keyFile an OpenPGP public key file (armored or binary) the mirror's InRelease must
   *     verify against
   * @return this builder
   * @throws IllegalArgumentException when the key file is not readable
   */
  public ImageBuilder withMirror(String url, Path keyFile) {
    spec.mirror(url);
    spec.mirrorKey(readableFile(keyFile, "key file of mirror " + url).toString());
    return this;
  }

  /**
   * Leaves out the series' updates suite ({@code bookworm-updates}, {@code noble-updates}), which
   * is otherwise read beside the series, resolved from and written to the image's apt sources.
   *
   * @return this builder
   */
  public ImageBuilder withoutUpdates() {
    spec.updates(false);
    return this;
  }

  /**
   * Leaves out the series' security suite ({@code bookworm-security} from Debian's security
   * archive, {@code noble-security}), which is otherwise read beside the series, resolved from and
   * written to the image's apt sources.
   *
   * @return this builder
   */
  public ImageBuilder withoutSecurity() {
    spec.security(false);
    return this;
  }

  /**
   * The archive components to use, instead of the default ({@code main}).
   *
   * @param components component names, e.g. {@code main}, {@code contrib}
   * @return this builder
   */
  public ImageBuilder withComponents(String... components) {
    spec.components(Arrays.asList(components));
    return this;
  }

  /**
   * Adds a PPA in any of the forms of {@link Ppa#parse(String)}, as the command line and build
   * requests write it: {@code ppa:owner/name}, {@code ppa:owner/name=FINGERPRINT} (like {@link
   * #withPpa(String, String)}) or {@code ppa:owner/name=KEYFILE} (like {@link #withPpa(String,
   * Path)}).
   *
   * <p>With no key given, before any stage runs the build asks Launchpad's web API for the
   * fingerprint of the PPA's signing key (over HTTPS, the trust {@code add-apt-repository} gives
   * it), fetches that key from the keyserver and caches both under the cache directory. To pin the
   * key instead, give its fingerprint or a key file.
   *
   * @throws IllegalArgumentException naming a malformed value or a key file that is not readable
   * @param ppa {@code ppa:owner/name}, optionally with {@code =FINGERPRINT} or {@code =KEYFILE}
   * @return this builder
   */
  public ImageBuilder withPpa(String ppa) {
    Ppa parsed = Ppa.parse(ppa);
    if (parsed.keyFile() != null) {
      return withPpa(parsed.ppa(), Path.of(parsed.keyFile()));
    }
    spec.addPpa(parsed);
    return this;
  }

  /**
   * Adds a PPA with the fingerprint (40 hex digits) of its signing key. Before any stage runs, the
   * key is fetched from the keyserver Launchpad publishes it on (https://keyserver.ubuntu.com, or
   * the host's system property {@code imagebuilder.keyserver} / environment variable {@code
   * IMAGEBUILDER_KEYSERVER}), kept only if its fingerprint is exactly this one, and cached under
   * the cache directory; the PPA's InRelease must verify against it.
   *
   * @param ppa {@code ppa:owner/name}
   * @param fingerprint the signing key's fingerprint, 40 hex digits
   * @return this builder
   * @throws IllegalArgumentException naming a malformed PPA or fingerprint
   */
  public ImageBuilder withPpa(String ppa, String fingerprint) {
    spec.addPpa(new Ppa(ppa, fingerprint, null));
    return this;
  }

  /**
   * Adds a PPA whose InRelease must verify against the key in {@code keyFile}.
   *
   * @param ppa {@code ppa:owner/name}
   * @param keyFile an OpenPGP public key file
   * @return this builder
   * @throws IllegalArgumentException naming a malformed PPA or an unreadable key file
   */
  public ImageBuilder withPpa(String ppa, Path keyFile) {
    spec.addPpa(new Ppa(ppa, null, readableFile(keyFile, "key file of " + ppa).toString()));
    return this;
  }

  /**
   * Adds any apt source with its own key.
   *
   * @param source the apt source, with the key it must verify against
   * @return this builder
   */
  public ImageBuilder withRepository(AptSource source) {
    spec.addRepository(source);
    return this;
  }

  /**
   * Adds a signed apt source: {@code uri suite components}, verified against {@code keyFile}.
   *
   * @param name a short name for messages and the sources file
   * @param uri the repository's base URL
   * @param suite the suite, e.g. {@code bookworm}
   * @param components its components, e.g. {@code main}
   * @param keyFile the OpenPGP public key its InRelease must verify against
   * @return this builder
   * @throws IllegalArgumentException naming a malformed value or an unreadable key file
   */
  public ImageBuilder withRepository(
      String name, String uri, String suite, List<String> components, Path keyFile) {
    String key = readableFile(keyFile, "key file of source '" + name + "'").toString();
    spec.addRepository(AptSource.signed(name, uri, suite, components, key));
    return this;
  }

  /**
   * Serves these .deb files from a side repository during the build.
   *
   * @param debs readable .deb files on the host
   * @return this builder
   * @throws IllegalArgumentException naming a file that is not readable
   */
  public ImageBuilder withLocalPackages(Path... debs) {
    for (Path deb : debs) {
      Path file = readableFile(deb, "local package");
      spec.addLocalPackage(new LocalPackage(file.toString(), sha256(file)));
    }
    return this;
  }

  /**
   * Serves the .deb at an http(s) {@code url} from the side repository too: it is downloaded into
   * the package cache when the build runs and must have {@code sha256} (64 hex digits), so the spec
   * names exact bytes.
   *
   * @throws IllegalArgumentException for a URL that is not http(s) or a malformed sha256
   * @param url the http(s) URL of the .deb
   * @param sha256 the .deb's sha256, 64 hex digits
   * @return this builder
   */
  public ImageBuilder withLocalPackage(String url, String sha256) {
    if (url == null || !url.matches("(?i)https?://[^\\s]+\\.deb")) {
      throw new IllegalArgumentException(
          "invalid local package URL '"
              + Checks.excerpt(io.imagebuilder.internal.validate.Secrets.redact(url))
              + "' (expected an http(s) URL of a .deb file)");
    }
    spec.addLocalPackage(new LocalPackage(url, Checks.sha256(sha256, "sha256 of " + url)));
    return this;
  }

  /**
   * Leaves the side repository of local packages configured in the image.
   *
   * @return this builder
   */
  public ImageBuilder keepLocalRepository() {
    spec.keepLocalRepository(true);
    return this;
  }

  /**
   * Adds packages to install: at most 10,000 names in all.
   *
   * @param packages package names, e.g. {@code openssh-server}
   * @return this builder
   * @throws IllegalArgumentException naming a malformed name, or when there are too many
   */
  public ImageBuilder withPackages(String... packages) {
    Checks.packageCount(Arrays.asList(packages), "packages");
    for (String p : packages) {
      spec.addPackage(p);
    }
    return this;
  }

  /**
   * Packages to remove from the image (the manifest lists them as excluded), e.g. one the variant
   * brings.
   *
   * @param packages package names
   * @return this builder
   */
  public ImageBuilder withoutPackages(String... packages) {
    for (String p : packages) {
      spec.addExcludedPackage(p);
    }
    return this;
  }

  /**
   * The bootstrap variant: which priority of packages the base system has.
   *
   * @param variant the variant; not null
   * @return this builder
   */
  public ImageBuilder withVariant(Variant variant) {
    spec.variant(variant);
    return this;
  }

  /**
   * {@code essential}, {@code minbase} or {@code standard}.
   *
   * @param variant the variant's name
   * @return this builder
   * @throws IllegalArgumentException naming an unknown variant
   */
  public ImageBuilder withVariant(String variant) {
    return withVariant(Variant.fromId(variant));
  }

  /**
   * Makes the image bootable on {@code board}; the architecture is the board's.
   *
   * @param board the board; not null
   * @return this builder
   */
  public ImageBuilder forBoard(Board board) {
    Checks.notNull(board, "board");
    if (architectureGiven && spec.architecture() != board.architecture()) {
      throw new IllegalArgumentException(
          "board '"
              + board.id()
              + "' is "
              + board.architecture()
              + " but the architecture was set to '"
              + spec.architecture()
              + "' (expected the board's architecture)");
    }
    this.board = board;
    spec.board(board.id());
    spec.architecture(board.architecture());
    return this;
  }

  /**
   * Makes the image bootable on the board called {@code boardId}, e.g. {@code qemu-arm64}.
   *
   * @param boardId a board id the board providers on the classpath know
   * @return this builder
   * @throws IllegalArgumentException naming an unknown board and the known ones
   */
  public ImageBuilder forBoard(String boardId) {
    return forBoard(Boards.find(boardId));
  }

  /**
   * The target architecture of an image without a board; default the host's.
   *
   * @param architecture the architecture; not null
   * @return this builder
   * @throws IllegalArgumentException when a board with another architecture is set
   */
  public ImageBuilder forArchitecture(Architecture architecture) {
    Checks.notNull(architecture, "architecture");
    if (board != null && board.architecture() != architecture) {
      throw new IllegalArgumentException(
          "invalid architecture '"
              + architecture
              + "' for board '"
              + board.id()
              + "' (expected "
              + board.architecture()
              + ")");
    }
    spec.architecture(architecture);
    architectureGiven = true;
    return this;
  }

  /**
   * A Debian architecture name such as {@code arm64}.
   *
   * @param architecture a Debian architecture name
   * @return this builder
   * @throws IllegalArgumentException naming an unknown architecture
   */
  public ImageBuilder forArchitecture(String architecture) {
    return forArchitecture(Architecture.fromDebianName(architecture));
  }

  /**
   * The image's hostname ({@code /etc/hostname}).
   *
   * @param hostname a valid host name, e.g. {@code builder}
   * @return this builder
   * @throws IllegalArgumentException naming a malformed host name
   */
  public ImageBuilder withHostname(String hostname) {
    spec.hostname(hostname);
    return this;
  }

  /**
   * Adds a user with a locked password and no groups.
   *
   * @param name the login name, e.g. {@code debian}
   * @return this builder
   */
  public ImageBuilder withUser(String name) {
    return withUser(UserAccount.named(name));
  }

  /**
   * Adds a user account.
   *
   * @param user the account; not null
   * @return this builder
   */
  public ImageBuilder withUser(UserAccount user) {
    spec.addUser(user);
    return this;
  }

  /**
   * Places a text file (mode 0644) at {@code imagePath}.
   *
   * @param imagePath the absolute path inside the image
   * @param content the text, written as UTF-8
   * @return this builder
   */
  public ImageBuilder withFile(String imagePath, String content) {
    spec.addFile(FileEntry.text(imagePath, content));
    return this;
  }

  /**
   * Places {@code file} (its path, mode and content) into the image.
   *
   * @param file the file; not null
   * @return this builder
   */
  public ImageBuilder withFile(FileEntry file) {
    spec.addFile(file);
    return this;
  }

  /**
   * Places a copy of the host file {@code source} at {@code imagePath} with {@code mode}.
   *
   * @param imagePath the absolute path inside the image
   * @param source a readable file on the host, read now
   * @param mode the permission bits, e.g. {@code 0755}
   * @return this builder
   * @throws IllegalArgumentException when the source is not readable
   */
  public ImageBuilder withFile(String imagePath, Path source, int mode) {
    Path file = readableFile(source, "file for " + imagePath);
    try {
      spec.addFile(FileEntry.of(imagePath, mode, Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return this;
  }

  /**
   * Runs {@code command} (argv) inside the target at {@code point}.
   *
   * @param point when the command runs
   * @param command the argv, as seen inside the target
   * @return this builder
   */
  public ImageBuilder withHook(HookPoint point, String... command) {
    spec.addHook(new Hook(point, Arrays.asList(command)));
    return this;
  }

  /**
   * Runs a hook inside the target; {@link Hook#withNetwork()} lets it reach the network, which
   * every other command run there after the downloads cannot.
   *
   * @param hook the command and when it runs
   * @return this builder
   * @throws IllegalArgumentException if {@code hook} is null
   */
  public ImageBuilder withHook(Hook hook) {
    spec.addHook(hook);
    return this;
  }

  /**
   * The artifacts to write, instead of the default (a rootfs tarball, or the board's disk image).
   *
   * @param formats the formats
   * @return this builder
   */
  public ImageBuilder withOutputs(OutputFormat... formats) {
    spec.outputs(Arrays.asList(formats));
    return this;
  }

  /**
   * Formats by extension, e.g. {@code tar.zst}, {@code img}, {@code qcow2}.
   *
   * @param formats format extensions
   * @return this builder
   * @throws IllegalArgumentException naming an unknown format
   */
  public ImageBuilder withOutputs(String... formats) {
    return withOutputs(
        Arrays.stream(formats).map(OutputFormat::fromExtension).toArray(OutputFormat[]::new));
  }

  /**
   * Free space left in the disk image's root filesystem beyond its content, e.g. {@code 2GiB},
   * instead of the board's default. Needs a board.
   *
   * @param size a size with a unit, e.g. {@code 512MiB} or {@code 2GiB}
   * @return this builder
   * @throws IllegalArgumentException naming a malformed size
   */
  public ImageBuilder withRootFreeSpace(String size) {
    spec.rootFreeSpace(size);
    return this;
  }

  /**
   * Whether the disk image grows its root partition and filesystem to fill the medium at first
   * boot, instead of the board's default. Needs a board.
   *
   * @param grow true to grow at first boot
   * @return this builder
   */
  public ImageBuilder withGrowRoot(boolean grow) {
    spec.growRoot(grow);
    return this;
  }

  /**
   * Makes this a cloud image for {@code boardId}: a qcow2 disk image for {@code pc-amd64} or {@code
   * qemu-arm64} with cloud-init, which at first boot takes its users, SSH keys and network from a
   * datasource (a NoCloud seed drive labelled {@code cidata}, ConfigDrive, OpenStack, Ec2, GCE,
   * Azure, Oracle; None last) and grows the root partition and filesystem to the disk (cloud-init's
   * growpart, instead of the board's grow-root unit). It has no password login: root is locked, SSH
   * takes keys only, and there is no default password. The serial console is the board's.
   *
   * <p>It is composed of plain spec features, the same as calling {@link #forBoard(String)}, {@link
   * #withPackages} (cloud-init, cloud-guest-utils, e2fsprogs, sudo, openssh-server), {@link
   * #withFile(FileEntry)} ({@code /etc/cloud/cloud.cfg.d/91_imagebuilder.cfg}: the datasource list,
   * {@code disable_root}, {@code ssh_pwauth: false}), {@link #withGrowRoot withGrowRoot(false)} and
   * {@link #withOutputs(OutputFormat...) withOutputs(QCOW2)}; later calls may add to or change
   * them. The {@code cloud} image type of {@link ImageTypes} builds the same.
   *
   * @param boardId {@code pc-amd64} or {@code qemu-arm64}
   * @return this builder
   * @throws IllegalArgumentException naming another board
   */
  public ImageBuilder asCloudImage(String boardId) {
    CloudImage.apply(this, boardId);
    return this;
  }

  /**
   * Starts from a rootfs tarball instead of bootstrapping from the archive: with image-rootfs, a
   * {@code tar}, {@code tar.gz}, {@code tar.xz} or {@code tar.zst} holding a Debian or Ubuntu
   * system of the target architecture, as the path of a local file or an http(s) URL. A URL is
   * downloaded into the cache (size-capped) when the build runs; written {@code
   * https://host/base.tar.zst#sha256=HEX} (64 hex digits), the download must have that sha256 and a
   * cached copy is used without downloading. The manifest records its sha256.
   *
   * @param pathOrUrl a local file path or an http(s) URL (optionally with {@code #sha256=HEX})
   * @return this builder
   */
  public ImageBuilder withBaseImage(String pathOrUrl) {
    spec.baseImage(pathOrUrl);
    return this;
  }

  /**
   * The SOURCE_DATE_EPOCH every timestamp in the image is clamped to, instead of the Release file's
   * Date.
   *
   * @param epochSeconds seconds since 1970-01-01 UTC; not negative
   * @return this builder
   */
  public ImageBuilder withSourceDateEpoch(long epochSeconds) {
    spec.sourceDateEpoch(epochSeconds);
    return this;
  }

  /**
   * Installs exactly the packages of a lock file ({@code <image>.lock}, which every build writes
   * beside its artifacts): each at its locked version, from the .deb with its locked sha256, taken
   * from the package cache or from its repository while the repository's index still lists it. The
   * build fails before any work, naming every locked package it can obtain neither way. Without a
   * SOURCE_DATE_EPOCH of its own the build takes the lock's. A lock made from a base image pins it:
   * the spec must name a base image with the lock's sha256 (a base image URL given without a hash
   * is downloaded and checked against it), and a spec with a base image needs a lock made from one.
   * The lock is part of the spec, so a locked build has another spec hash (and stage ids) than the
   * same description unlocked.
   *
   * @param lockFile a lock file as a build wrote it
   * @return this builder
   * @throws IllegalArgumentException if the file cannot be read or is not a lock, naming the bad
   *     value
   */
  public ImageBuilder withLock(Path lockFile) {
    Path file = readableFile(lockFile, "lock file");
    try {
      return withLock(Lock.read(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read lock file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Installs exactly the packages of {@code lock}, as {@link #withLock(Path)} does with a file.
   *
   * @param lock the lock, e.g. {@link Lock#fromJson(String)} of a request's field
   * @return this builder
   */
  public ImageBuilder withLock(Lock lock) {
    spec.lock(Checks.notNull(lock, "lock"));
    return this;
  }

  /**
   * Changes the plan before it runs: insert, replace, wrap or remove stages.
   *
   * @param transform gets the plan and returns the plan to run
   * @return this builder
   */
  public ImageBuilder withPlanTransform(UnaryOperator<Plan> transform) {
    Checks.notNull(transform, "plan transform");
    return withPlanTransform((plan, spec) -> transform.apply(plan));
  }

  /**
   * Changes the plan before it runs, knowing the spec it was made for.
   *
   * @param transform gets the plan and the spec, returns the plan to run
   * @return this builder
   */
  public ImageBuilder withPlanTransform(PlanTransform transform) {
    planTransforms.add(Checks.notNull(transform, "plan transform"));
    return this;
  }

  /**
   * The spec described so far, with defaults filled in.
   *
   * @return the spec
   * @throws IllegalArgumentException when the description is incomplete or inconsistent
   */
  public ImageSpec spec() {
    if (!architectureGiven && board == null) {
      spec.architecture(Architecture.host());
    }
    ImageSpec built = spec.build();
    if (board != null && !built.components().containsAll(board.components())) {
      // The board's packages (say Raspberry Pi firmware) come from components of their own.
      List<String> components = new ArrayList<>(built.components());
      board.components().stream().filter(c -> !components.contains(c)).forEach(components::add);
      built = built.toBuilder().components(components).build();
    }
    return built;
  }

  /**
   * The stages this builder would run with the stage providers on the classpath, with their ids;
   * nothing is run.
   *
   * @return the plan
   */
  public Plan plan() {
    return plan(spec(), Planner.fromClasspath());
  }

  /**
   * The stages this builder would run with {@code run}'s stage providers; nothing is run.
   *
   * @param run the run configuration whose stage providers are used
   * @return the plan
   */
  public Plan plan(RunConfiguration run) {
    return plan(spec(), planner(run));
  }

  private Plan plan(ImageSpec built, Planner planner) {
    Plan plan = planner.plan(built);
    for (PlanTransform t : planTransforms) {
      plan = Checks.notNull(t.apply(plan, built), "transformed plan");
    }
    return plan;
  }

  private static Planner planner(RunConfiguration run) {
    return run.stageProviders().map(Planner::new).orElseGet(Planner::fromClasspath);
  }

  /**
   * Builds the image into {@code outputDir} with the defaults of {@link RunConfiguration}: the
   * short form of {@code build(RunConfiguration.into(outputDir))}.
   *
   * @throws ImageBuildException as {@link #build(RunConfiguration)}
   * @param outputDir the directory to write the artifacts into (empty or missing)
   * @return the artifacts, their hashes and the manifest
   */
  public BuildResult build(Path outputDir) throws ImageBuildException {
    return build(RunConfiguration.into(outputDir));
  }

  /**
   * Builds the image as {@code run} says, on this thread.
   *
   * @throws ImageBuildException when the build fails; a {@link
   *     io.imagebuilder.api.error.StageFailedException} names the stage, command, exit code and
   *     output tail; a {@link io.imagebuilder.api.error.BuildCancelledException} means it was
   *     cancelled, interrupted or ran past its timeout. Once stages ran, {@link
   *     ImageBuildException#buildState()} says where the build stood: the failed stage, its log,
   *     the completed stages and the output directory.
   * @param run where and how to build
   * @return the artifacts, their hashes and the manifest
   */
  public BuildResult build(RunConfiguration run) throws ImageBuildException {
    Checks.notNull(run, "run configuration");
    ImageSpec built = spec();
    return runPlan(
        built,
        plan(built, planner(run)),
        run,
        run.eventsForOneBuild(),
        run.cancellation().orElseGet(Cancellation::new));
  }

  /**
   * Starts the build as {@code run} says on another thread ({@link RunConfiguration#withThreads},
   * default a new thread) and returns at once. The spec and plan are fixed now: later changes to
   * this builder do not affect the build.
   *
   * @throws IllegalArgumentException if the spec is incomplete or the plan cannot be made (these
   *     are checked before the build starts)
   * @param run where and how to build
   * @return a handle: the result's future, cancel, and the stages done so far
   */
  public BuildHandle start(RunConfiguration run) {
    Checks.notNull(run, "run configuration");
    ImageSpec built = spec();
    Plan plan = plan(built, planner(run));
    Cancellation cancellation = new Cancellation();
    run.cancellation().ifPresent(c -> c.onCancel(cancellation::cancel));
    BuildHandle handle = new BuildHandle(cancellation);
    EventBus events = run.eventsForOneBuild();
    events.register(
        StageFinished.class,
        e -> handle.stageCompleted(new CompletedStage(e.stageType(), e.stageId(), e.duration())));
    Runnable task =
        () -> {
          try {
            handle.complete(runPlan(built, plan, run, events, cancellation));
          } catch (ImageBuildException | RuntimeException | Error e) {
            handle.fail(e);
          }
        };
    Optional<java.util.concurrent.Executor> threads = run.threads();
    if (threads.isPresent()) {
      threads.get().execute(task);
    } else {
      Thread thread = new Thread(task, "imagebuilder-build-" + BUILD_THREADS.incrementAndGet());
      thread.start();
    }
    return handle;
  }

  private BuildResult runPlan(
      ImageSpec built, Plan plan, RunConfiguration run, EventBus events, Cancellation cancellation)
      throws ImageBuildException {
    ExecutorProvider provider =
        run.executorProvider() != null
            ? run.executorProvider()
            : ExecutionStrategies.find(run.executorName(), built.architecture());
    Path cache = run.cacheDir().orElseGet(Defaults::cacheDir);
    Engine.Outcome outcome;
    // Checks and locks the output directory, clears dead builds' work folders, makes this one's.
    try (BuildDirectories dirs =
        BuildDirectories.open(
            run.outputDir(), cache, run.workDir().orElse(null), provider::cleanStale)) {
      Engine engine =
          new Engine(
              new Engine.Settings(
                  built,
                  board,
                  dirs.outputDir(),
                  dirs.cacheDir(),
                  dirs.workDir(),
                  root -> provider.open(root, built.architecture()),
                  events,
                  run.trigger(),
                  cancellation,
                  run.timeout().orElse(null),
                  run.stageCache(),
                  run.keepTreeAfter(),
                  run.cachedResultsTrustedFor().orElse(Duration.ZERO)));
      // After BuildDirectories checked the cache directory: the lock file is written into it.
      try (CacheLock held = CacheLock.shared(dirs.cacheDir())) {
        outcome = engine.run(plan);
      } catch (IOException e) {
        throw new ImageBuildException(
            "cannot lock the cache directory " + dirs.cacheDir() + ": " + e.getMessage(), e);
      }
    }
    keepUnderCap(cache, events, run.trigger());
    return new BuildResult(
        built,
        built.specHash(),
        plan.id(),
        outcome.artifacts(),
        outcome.stages(),
        outcome.executorName(),
        outcome.manifestFile(),
        outcome.fromCache());
  }

  /**
   * Evicts least-recently-used cache entries once the cache is over its cap; never fails a build.
   */
  private static void keepUnderCap(Path cache, EventBus events, String trigger) {
    try {
      BuildCache.Collection c = BuildCache.at(cache).collect(BuildCache.configuredMaxBytes());
      if (c.removedEntries() > 0) {
        events.publish(
            new LogLine(
                trigger,
                "",
                LogLine.Level.INFO,
                "cache over its cap: removed "
                    + c.removedEntries()
                    + " least recently used entries ("
                    + (c.freedBytes() >> 20)
                    + " MiB), "
                    + (c.bytesLeft() >> 20)
                    + " MiB left"));
      }
    } catch (IOException | RuntimeException e) {
      events.publish(
          new LogLine(
              trigger,
              "",
              LogLine.Level.WARNING,
              "cannot keep the cache " + cache + " under its cap: " + e.getMessage()));
    }
  }

  private static Path readableFile(Path file, String what) {
    if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(
          "invalid " + what + " '" + file + "' (expected a readable file)");
    }
    return file.toAbsolutePath().normalize();
  }

  private static String sha256(Path file) {
    try {
      return Sha256.ofFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
