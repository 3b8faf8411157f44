package io.imagebuilder.api.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.imagebuilder.internal.json.Json;
import io.imagebuilder.internal.validate.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that decides what an image contains: immutable, complete (defaults are filled in),
 * canonical (package sets sorted, lists de-duplicated), so that its JSON and its hash name the
 * image exactly. How and where a build runs (executor, cache, listeners) is not part of it.
 *
 * <p>Create one with {@link #builder(String)} or {@link #fromJson(String)}; every bad value is
 * rejected with an {@link IllegalArgumentException} that quotes it.
 *
 * @param distribution debian or ubuntu; inferred from a known series
 * @param series the code name, e.g. {@code bookworm}
 * @param architecture the target's Debian architecture
 * @param board a board id, or null for a rootfs without a board
 * @param variant the bootstrap package set; default minbase
 * @param mirror the archive of the distribution; default its public mirror for the architecture
 * @param mirrorKey path of the key the mirror's InRelease must verify against; null means the
 *     distribution's archive keyring (bundled for Debian; the host's ubuntu-keyring for Ubuntu)
 * @param components components of the main archive; default {@code [main]}
 * @param repositories extra apt sources, each with its own key
 * @param ppas Launchpad PPAs
 * @param localPackages .debs served from a side repository during the build
 * @param keepLocalRepository whether the side repository stays configured in the image
 * @param packages packages installed after the bootstrap (sorted)
 * @param excludedPackages packages removed from the image (sorted)
 * @param hostname the image's host name; default the distribution's id
 * @param users accounts to create
 * @param files files to place
 * @param hooks commands run inside the target at named points
 * @param outputs artifact formats; default {@code img} with a board, else {@code tar.zst}
 * @param sourceDateEpoch clamp for every timestamp; null means the Release file's Date
 * @param baseImage a rootfs tarball to start from instead of bootstrapping, or null
 * @param disk disk image sizing and first-boot growth other than the board's, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageSpec(
    Distribution distribution,
    String series,
    Architecture architecture,
    String board,
    Variant variant,
    String mirror,
    String mirrorKey,
    List<String> components,
    List<AptSource> repositories,
    List<Ppa> ppas,
    List<LocalPackage> localPackages,
    boolean keepLocalRepository,
    List<String> packages,
    List<String> excludedPackages,
    String hostname,
    List<UserAccount> users,
    List<FileEntry> files,
    List<Hook> hooks,
    List<OutputFormat> outputs,
    Long sourceDateEpoch,
    String baseImage,
    DiskOptions disk) {

  public ImageSpec {
    Series parsed =
        distribution == null ? Series.parse(series) : new Series(distribution, series);
    distribution = parsed.distribution();
    Checks.notNull(architecture, "architecture");
    if (board != null && board.isBlank()) {
      throw new IllegalArgumentException("invalid board '' (expected a board id or none)");
    }
    variant = variant == null ? Variant.MINBASE : variant;
    mirror = Checks.url(mirror == null ? distribution.defaultMirror(architecture) : mirror, "mirror");
    if (mirrorKey != null && mirrorKey.isBlank()) {
      throw new IllegalArgumentException("invalid mirror key '' (expected the path of an OpenPGP key)");
    }
    components = Checks.distinctCopy(components, "components");
    if (components.isEmpty()) {
      components = distribution.defaultComponents();
    }
    repositories = Checks.distinctCopy(repositories, "repositories");
    requireUniqueSourceNames(repositories);
    ppas = Checks.distinctCopy(ppas, "PPAs");
    localPackages = Checks.distinctCopy(localPackages, "local packages");
    packages = Checks.packageCount(Checks.sortedCopy(packages, "packages"), "packages");
    packages.forEach(Checks::packageRequest);
    excludedPackages =
        Checks.packageCount(Checks.sortedCopy(excludedPackages, "excluded packages"), "excluded packages");
    excludedPackages.forEach(Checks::packageRequest);
    for (String p : excludedPackages) {
      if (packages.contains(p)) {
        throw new IllegalArgumentException(
            "package '" + p + "' is both requested and excluded (expected one or the other)");
      }
    }
    hostname = Checks.hostname(hostname == null ? distribution.id() : hostname);
    users = Checks.distinctCopy(users, "users");
    files = Checks.distinctCopy(files, "files");
    hooks = Checks.distinctCopy(hooks, "hooks");
    outputs = Checks.distinctCopy(outputs, "outputs");
    if (outputs.isEmpty()) {
      outputs = List.of(board == null ? OutputFormat.TAR_ZST : OutputFormat.RAW);
    }
    for (OutputFormat f : outputs) {
      if (f.isDiskImage() && board == null) {
        throw new IllegalArgumentException(
            "output format '" + f + "' is a disk image and needs a board (expected forBoard(...)"
                + " or a tarball format such as tar.zst)");
      }
    }
    if (sourceDateEpoch != null) {
      Checks.sourceDateEpoch(sourceDateEpoch);
    }
    if (baseImage != null && baseImage.isBlank()) {
      throw new IllegalArgumentException("invalid base image '' (expected a path or URL)");
    }
    disk = disk == null || disk.isEmpty() ? null : disk;
    if (disk != null && board == null) {
      throw new IllegalArgumentException(
          "disk options " + disk + " need a board (expected forBoard(...) or no disk options)");
    }
  }

  private static void requireUniqueSourceNames(List<AptSource> sources) {
    List<String> seen = new ArrayList<>();
    for (AptSource s : sources) {
      if (seen.contains(s.name())) {
        throw new IllegalArgumentException(
            "duplicate source name '" + s.name() + "' (expected each source to have its own name)");
      }
      seen.add(s.name());
    }
  }

  /** Starts a spec for a series such as {@code bookworm} or {@code debian/forky}. */
  public static Builder builder(String series) {
    return new Builder(Series.parse(series));
  }

  /** The series with its distribution. */
  @JsonIgnore
  public Series seriesRef() {
    return new Series(distribution, series);
  }

  /** Sorted keys, no whitespace: what {@link #specHash()} hashes. */
  public String toCanonicalJson() {
    return Json.canonical(this);
  }

  /** Indented JSON for people; the same fields as the canonical form. */
  public String toJson() {
    return Json.pretty(this);
  }

  /** sha256 of the canonical JSON, as 64 hex digits. */
  public String specHash() {
    return Json.sha256(toCanonicalJson());
  }

  /**
   * Reads a spec; unknown fields and bad values are rejected, naming them.
   *
   * @throws IllegalArgumentException for any problem with the JSON
   */
  public static ImageSpec fromJson(String json) {
    return Json.read(json, ImageSpec.class, "image spec");
  }

  public Builder toBuilder() {
    Builder b = new Builder(seriesRef());
    b.architecture = architecture;
    b.board = board;
    b.variant = variant;
    b.mirror = mirror;
    b.mirrorKey = mirrorKey;
    b.components = new ArrayList<>(components);
    b.repositories = new ArrayList<>(repositories);
    b.ppas = new ArrayList<>(ppas);
    b.localPackages = new ArrayList<>(localPackages);
    b.keepLocalRepository = keepLocalRepository;
    b.packages = new ArrayList<>(packages);
    b.excludedPackages = new ArrayList<>(excludedPackages);
    b.hostname = hostname;
    b.users = new ArrayList<>(users);
    b.files = new ArrayList<>(files);
    b.hooks = new ArrayList<>(hooks);
    b.outputs = new ArrayList<>(outputs);
    b.sourceDateEpoch = sourceDateEpoch;
    b.baseImage = baseImage;
    b.disk = disk;
    return b;
  }

  /** Collects the fields of a spec; {@link #build()} fills in defaults and validates. */
  public static final class Builder {
    private Series series;
    private Architecture architecture;
    private String board;
    private Variant variant;
    private String mirror;
    private String mirrorKey;
    private List<String> components = new ArrayList<>();
    private List<AptSource> repositories = new ArrayList<>();
    private List<Ppa> ppas = new ArrayList<>();
    private List<LocalPackage> localPackages = new ArrayList<>();
    private boolean keepLocalRepository;
    private List<String> packages = new ArrayList<>();
    private List<String> excludedPackages = new ArrayList<>();
    private String hostname;
    private List<UserAccount> users = new ArrayList<>();
    private List<FileEntry> files = new ArrayList<>();
    private List<Hook> hooks = new ArrayList<>();
    private List<OutputFormat> outputs = new ArrayList<>();
    private Long sourceDateEpoch;
    private String baseImage;
    private DiskOptions disk;

    private Builder(Series series) {
      this.series = series;
    }

    public Builder series(String value) {
      this.series = Series.parse(value);
      return this;
    }

    public Builder architecture(Architecture value) {
      this.architecture = Checks.notNull(value, "architecture");
      return this;
    }

    public Builder board(String boardId) {
      this.board = boardId;
      return this;
    }

    public Builder variant(Variant value) {
      this.variant = Checks.notNull(value, "variant");
      return this;
    }

    public Builder mirror(String url) {
      this.mirror = Checks.url(url, "mirror");
      return this;
    }

    /** The key file the mirror is signed with, for mirrors the bundled keyrings do not cover. */
    public Builder mirrorKey(String keyFile) {
      this.mirrorKey = keyFile;
      return this;
    }

    public Builder components(List<String> values) {
      this.components = new ArrayList<>(Checks.distinctCopy(values, "components"));
      return this;
    }

    public Builder addRepository(AptSource source) {
      repositories.add(Checks.notNull(source, "repository"));
      return this;
    }

    public Builder addPpa(Ppa ppa) {
      ppas.add(Checks.notNull(ppa, "PPA"));
      return this;
    }

    public Builder addLocalPackage(LocalPackage deb) {
      localPackages.add(Checks.notNull(deb, "local package"));
      return this;
    }

    public Builder keepLocalRepository(boolean keep) {
      this.keepLocalRepository = keep;
      return this;
    }

    public Builder addPackage(String name) {
      packages.add(Checks.packageRequest(name));
      return this;
    }

    public Builder addExcludedPackage(String name) {
      excludedPackages.add(Checks.packageRequest(name));
      return this;
    }

    public Builder hostname(String value) {
      this.hostname = Checks.hostname(value);
      return this;
    }

    public Builder addUser(UserAccount user) {
      users.add(Checks.notNull(user, "user"));
      return this;
    }

    public Builder addFile(FileEntry file) {
      files.add(Checks.notNull(file, "file"));
      return this;
    }

    public Builder addHook(Hook hook) {
      hooks.add(Checks.notNull(hook, "hook"));
      return this;
    }

    public Builder outputs(List<OutputFormat> formats) {
      this.outputs = new ArrayList<>(Checks.distinctCopy(formats, "outputs"));
      return this;
    }

    public Builder sourceDateEpoch(long epochSeconds) {
      this.sourceDateEpoch = Checks.sourceDateEpoch(epochSeconds);
      return this;
    }

    public Builder baseImage(String pathOrUrl) {
      this.baseImage = pathOrUrl;
      return this;
    }

    /** Free space left in the root filesystem of the disk image, e.g. {@code 2GiB}. */
    public Builder rootFreeSpace(String size) {
      this.disk = (disk == null ? new DiskOptions(null, null) : disk).withRootFreeSpace(size);
      return this;
    }

    /** Whether the root partition and filesystem grow to fill the medium at first boot. */
    public Builder growRoot(boolean grow) {
      this.disk = (disk == null ? new DiskOptions(null, null) : disk).withGrowRoot(grow);
      return this;
    }

    public Architecture architecture() {
      return architecture;
    }

    public String board() {
      return board;
    }

    public ImageSpec build() {
      return new ImageSpec(
          series.distribution(),
          series.codename(),
          architecture,
          board,
          variant,
          mirror,
          mirrorKey,
          components,
          repositories,
          ppas,
          localPackages,
          keepLocalRepository,
          packages,
          excludedPackages,
          hostname,
          users,
          files,
          hooks,
          outputs,
          sourceDateEpoch,
          baseImage,
          disk);
    }
  }
}
