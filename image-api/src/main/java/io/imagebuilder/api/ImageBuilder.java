package io.imagebuilder.api;

import com.google.common.hash.Hashing;
import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.event.BuildEvent;
import io.imagebuilder.api.exec.ExecutionStrategies;
import io.imagebuilder.api.exec.ExecutorProvider;
import io.imagebuilder.api.spec.AptSource;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.FileEntry;
import io.imagebuilder.api.spec.Hook;
import io.imagebuilder.api.spec.HookPoint;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.LocalPackage;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.spec.Ppa;
import io.imagebuilder.api.spec.UserAccount;
import io.imagebuilder.api.spec.Variant;
import io.imagebuilder.api.stage.Cancellation;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.internal.engine.BuildDirectories;
import io.imagebuilder.internal.engine.Defaults;
import io.imagebuilder.internal.engine.Engine;
import io.imagebuilder.internal.engine.EventBus;
import io.imagebuilder.internal.engine.Planner;
import io.imagebuilder.internal.validate.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
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
 * IllegalArgumentException} quoting a bad one. What the image contains is collected into an
 * {@link ImageSpec}; how the build runs (executor, cache, listeners, plan transforms) stays here.
 * An ImageBuilder is not thread-safe; build one image per instance at a time.
 */
public final class ImageBuilder {
  private final ImageSpec.Builder spec;
  private Board board;
  private boolean architectureGiven;
  private String executorName = ExecutionStrategies.AUTO;
  private ExecutorProvider executorProvider;
  private Path cacheDir;
  private Path workDir;
  private String trigger = "";
  private Cancellation cancellation = new Cancellation();
  private final EventBus events = new EventBus();
  private final List<UnaryOperator<Plan>> planTransforms = new ArrayList<>();

  private ImageBuilder(ImageSpec.Builder spec) {
    this.spec = spec;
  }

  /**
   * Starts an image of {@code series}: a known code name such as {@code bookworm}, {@code trixie},
   * {@code sid}, {@code noble} or {@code jammy}, or {@code distribution/series}.
   */
  public static ImageBuilder forSeries(String series) {
    return new ImageBuilder(ImageSpec.builder(series));
  }

  /** Starts from a complete spec, e.g. one read back from a manifest. */
  public static ImageBuilder fromSpec(ImageSpec spec) {
    ImageBuilder b = new ImageBuilder(spec.toBuilder());
    b.architectureGiven = true;
    if (spec.board() != null) {
      b.board = Boards.find(spec.board());
    }
    return b;
  }

  public ImageBuilder withMirror(String url) {
    spec.mirror(url);
    return this;
  }

  /** A mirror signed by the key in {@code keyFile} (e.g. an internal mirror or an Ubuntu archive). */
  public ImageBuilder withMirror(String url, Path keyFile) {
    spec.mirror(url);
    spec.mirrorKey(readableFile(keyFile, "key file of mirror " + url).toString());
    return this;
  }

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
   * it), fetches that key from the keyserver and caches both under the cache directory. To pin
   * the key instead, give its fingerprint or a key file.
   *
   * @throws IllegalArgumentException naming a malformed value or a key file that is not readable
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
   */
  public ImageBuilder withPpa(String ppa, String fingerprint) {
    spec.addPpa(new Ppa(ppa, fingerprint, null));
    return this;
  }

  /** Adds a PPA whose InRelease must verify against the key in {@code keyFile}. */
  public ImageBuilder withPpa(String ppa, Path keyFile) {
    spec.addPpa(new Ppa(ppa, null, readableFile(keyFile, "key file of " + ppa).toString()));
    return this;
  }

  /** Adds any apt source with its own key. */
  public ImageBuilder withRepository(AptSource source) {
    spec.addRepository(source);
    return this;
  }

  /** Adds a signed apt source: {@code uri suite components}, verified against {@code keyFile}. */
  public ImageBuilder withRepository(
      String name, String uri, String suite, List<String> components, Path keyFile) {
    String key = readableFile(keyFile, "key file of source '" + name + "'").toString();
    spec.addRepository(AptSource.signed(name, uri, suite, components, key));
    return this;
  }

  /** Serves these .deb files from a side repository during the build. */
  public ImageBuilder withLocalPackages(Path... debs) {
    for (Path deb : debs) {
      Path file = readableFile(deb, "local package");
      spec.addLocalPackage(new LocalPackage(file.toString(), sha256(file)));
    }
    return this;
  }

  /** Leaves the side repository of local packages configured in the image. */
  public ImageBuilder keepLocalRepository() {
    spec.keepLocalRepository(true);
    return this;
  }

  public ImageBuilder withPackages(String... packages) {
    for (String p : packages) {
      spec.addPackage(p);
    }
    return this;
  }

  public ImageBuilder withoutPackages(String... packages) {
    for (String p : packages) {
      spec.addExcludedPackage(p);
    }
    return this;
  }

  public ImageBuilder withVariant(Variant variant) {
    spec.variant(variant);
    return this;
  }

  /** {@code essential}, {@code minbase} or {@code standard}. */
  public ImageBuilder withVariant(String variant) {
    return withVariant(Variant.fromId(variant));
  }

  /** Makes the image bootable on {@code board}; the architecture is the board's. */
  public ImageBuilder forBoard(Board board) {
    Checks.notNull(board, "board");
    if (architectureGiven && spec.architecture() != board.architecture()) {
      throw new IllegalArgumentException(
          "board '" + board.id() + "' is " + board.architecture() + " but the architecture was set to '"
              + spec.architecture() + "' (expected the board's architecture)");
    }
    this.board = board;
    spec.board(board.id());
    spec.architecture(board.architecture());
    return this;
  }

  /** Makes the image bootable on the board called {@code boardId}, e.g. {@code qemu-arm64}. */
  public ImageBuilder forBoard(String boardId) {
    return forBoard(Boards.find(boardId));
  }

  /** The target architecture of an image without a board; default the host's. */
  public ImageBuilder forArchitecture(Architecture architecture) {
    Checks.notNull(architecture, "architecture");
    if (board != null && board.architecture() != architecture) {
      throw new IllegalArgumentException(
          "invalid architecture '" + architecture + "' for board '" + board.id() + "' (expected "
              + board.architecture() + ")");
    }
    spec.architecture(architecture);
    architectureGiven = true;
    return this;
  }

  /** A Debian architecture name such as {@code arm64}. */
  public ImageBuilder forArchitecture(String architecture) {
    return forArchitecture(Architecture.fromDebianName(architecture));
  }

  public ImageBuilder withHostname(String hostname) {
    spec.hostname(hostname);
    return this;
  }

  /** Adds a user with a locked password and no groups. */
  public ImageBuilder withUser(String name) {
    return withUser(UserAccount.named(name));
  }

  public ImageBuilder withUser(UserAccount user) {
    spec.addUser(user);
    return this;
  }

  /** Places a text file (mode 0644) at {@code imagePath}. */
  public ImageBuilder withFile(String imagePath, String content) {
    spec.addFile(FileEntry.text(imagePath, content));
    return this;
  }

  /** Places a copy of the host file {@code source} at {@code imagePath} with {@code mode}. */
  public ImageBuilder withFile(String imagePath, Path source, int mode) {
    Path file = readableFile(source, "file for " + imagePath);
    try {
      spec.addFile(FileEntry.of(imagePath, mode, Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return this;
  }

  /** Runs {@code command} (argv) inside the target at {@code point}. */
  public ImageBuilder withHook(HookPoint point, String... command) {
    spec.addHook(new Hook(point, Arrays.asList(command)));
    return this;
  }

  public ImageBuilder withOutputs(OutputFormat... formats) {
    spec.outputs(Arrays.asList(formats));
    return this;
  }

  /** Formats by extension, e.g. {@code tar.zst}, {@code img}, {@code qcow2}. */
  public ImageBuilder withOutputs(String... formats) {
    return withOutputs(Arrays.stream(formats).map(OutputFormat::fromExtension).toArray(OutputFormat[]::new));
  }

  /**
   * Free space left in the disk image's root filesystem beyond its content, e.g. {@code 2GiB},
   * instead of the board's default. Needs a board.
   */
  public ImageBuilder withRootFreeSpace(String size) {
    spec.rootFreeSpace(size);
    return this;
  }

  /**
   * Whether the disk image grows its root partition and filesystem to fill the medium at first
   * boot, instead of the board's default. Needs a board.
   */
  public ImageBuilder withGrowRoot(boolean grow) {
    spec.growRoot(grow);
    return this;
  }

  /**
   * Starts from a rootfs tarball instead of bootstrapping from the archive: with image-rootfs, the
   * path of a local {@code tar}, {@code tar.gz}, {@code tar.xz} or {@code tar.zst} holding a
   * Debian or Ubuntu system of the target architecture (a URL is refused). The manifest records
   * its sha256.
   */
  public ImageBuilder withBaseImage(String pathOrUrl) {
    spec.baseImage(pathOrUrl);
    return this;
  }

  public ImageBuilder withSourceDateEpoch(long epochSeconds) {
    spec.sourceDateEpoch(epochSeconds);
    return this;
  }

  /** {@code auto} (default), {@code native} or {@code qemu-user}. */
  public ImageBuilder withExecutor(String strategy) {
    Checks.notNull(strategy, "executor");
    this.executorName = strategy;
    this.executorProvider = null;
    return this;
  }

  /** A strategy of your own. */
  public ImageBuilder withExecutor(ExecutorProvider provider) {
    this.executorProvider = Checks.notNull(provider, "executor");
    return this;
  }

  /** Where packages and stage results are cached across builds; default ~/.cache/imagebuilder. */
  public ImageBuilder withCacheDir(Path dir) {
    this.cacheDir = Checks.notNull(dir, "cache directory");
    return this;
  }

  /**
   * The build's scratch directory, which must not exist or be empty; default a fresh directory
   * under the cache directory. It is deleted when the build ends.
   */
  public ImageBuilder withWorkDir(Path dir) {
    this.workDir = WorkDirs.checkUsable(Checks.notNull(dir, "work directory"));
    return this;
  }

  /** The progress channel events of this build carry (a request's {@code trigger}). */
  public ImageBuilder withTrigger(String trigger) {
    this.trigger = trigger == null ? "" : trigger;
    return this;
  }

  /** A handle whose {@code cancel()} stops this builder's build from another thread. */
  public ImageBuilder withCancellation(Cancellation cancellation) {
    this.cancellation = Checks.notNull(cancellation, "cancellation");
    return this;
  }

  /**
   * Calls {@code listener} for every event of {@code type} (and its subtypes). Listeners run on
   * build threads: they must be fast and thread-safe.
   */
  public <E extends BuildEvent> ImageBuilder onEvent(Class<E> type, Consumer<? super E> listener) {
    events.register(type, listener);
    return this;
  }

  /** Changes the plan before it runs: insert, replace, wrap or remove stages. */
  public ImageBuilder withPlanTransform(UnaryOperator<Plan> transform) {
    planTransforms.add(Checks.notNull(transform, "plan transform"));
    return this;
  }

  /** The spec described so far, with defaults filled in. */
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

  /** The stages this builder would run, with their ids; nothing is run. */
  public Plan plan() {
    Plan plan = Planner.fromClasspath().plan(spec());
    for (UnaryOperator<Plan> t : planTransforms) {
      plan = Checks.notNull(t.apply(plan), "transformed plan");
    }
    return plan;
  }

  /**
   * Builds the image into {@code outputDir}.
   *
   * @throws ImageBuildException when the build fails; a {@link
   *     io.imagebuilder.api.error.StageFailedException} names the stage, command, exit code and
   *     output tail; a {@link io.imagebuilder.api.error.BuildCancelledException} means it was
   *     cancelled or interrupted
   */
  public BuildResult build(Path outputDir) throws ImageBuildException {
    Checks.notNull(outputDir, "output directory");
    ImageSpec built = spec();
    Plan plan = plan();
    ExecutorProvider provider =
        executorProvider != null ? executorProvider : ExecutionStrategies.find(executorName, built.architecture());
    Path cache = cacheDir != null ? cacheDir : Defaults.cacheDir();
    Engine.Outcome outcome;
    try (BuildDirectories dirs = BuildDirectories.open(outputDir, cache, workDir, provider::cleanStale)) {
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
                  trigger,
                  cancellation));
      outcome = engine.run(plan);
    }
    return new BuildResult(
        built,
        built.specHash(),
        plan.id(),
        outcome.artifacts(),
        outcome.stages(),
        outcome.executorName(),
        outcome.manifestFile());
  }

  private static Path readableFile(Path file, String what) {
    if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException("invalid " + what + " '" + file + "' (expected a readable file)");
    }
    return file.toAbsolutePath().normalize();
  }

  private static String sha256(Path file) {
    try {
      return com.google.common.io.Files.asByteSource(file.toFile()).hash(Hashing.sha256()).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
