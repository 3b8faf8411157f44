package io.imagebuilder.api.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.imagebuilder.internal.json.Json;
import io.imagebuilder.internal.validate.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Everything that decides what an image contains: immutable, complete (defaults are filled in),
 * canonical (package sets sorted, lists de-duplicated), so that its JSON and its hash name the
 * image exactly. How and where a build runs (executor, cache, listeners) is not part of it.
 *
 * <p>Create one with {@link #builder(String)} or {@link #fromJson(String)}, change a copy with
 * {@link #toBuilder()}; every bad value is rejected with an {@link IllegalArgumentException} that
 * quotes it. Two specs are equal when all their fields are; {@link #toString()} lists the fields.
 *
 * <h2>Identity and new fields</h2>
 *
 * <p>An image is named by its {@link #specHash()}, the sha256 of {@link #toCanonicalJson()}, and
 * manifests and image indexes hold that JSON. So the canonical JSON of every spec that could be
 * written by an earlier version must stay byte for byte the same, and JSON written by an earlier
 * version must read to the same spec. The 22 fields of version 0.1 are written as they always were:
 * a field that is null (board, mirror key, SOURCE_DATE_EPOCH, base image, disk options) is left
 * out; every list (even empty), the filled-in defaults and {@code keepLocalRepository} are written.
 * A field added later must not change any of this:
 *
 * <ol>
 *   <li>it has a default that means exactly what a spec without the field meant, and JSON that does
 *       not name the field reads to that default;
 *   <li>it is left out of the JSON while it has its default: null in the field, or, for a list or a
 *       flag, {@code @JsonInclude(NON_EMPTY)} or {@code NON_DEFAULT} on its accessor;
 *   <li>it is added in each place that lists the fields: the constructor, {@link #toBuilder()}, the
 *       private {@code fields()} (equality, hash code, text), a documented accessor with its
 *       {@code @JsonProperty} name, the builder's setter and its {@code json...} setter.
 * </ol>
 *
 * The golden test (specs, their canonical JSON and hashes recorded from earlier versions) fails
 * when a change alters the JSON or hash of an existing spec. Callers never see the constructor, so
 * a field added this way is not a breaking change for them. The other direction is not promised: a
 * version rejects JSON naming a field it does not know, so a spec that sets a new field is read
 * only by versions that have it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
@JsonDeserialize(builder = ImageSpec.Builder.class)
public final class ImageSpec {
  private final Distribution distribution;
  private final String series;
  private final Architecture architecture;
  private final String board;
  private final Variant variant;
  private final String mirror;
  private final String mirrorKey;
  private final List<String> components;
  private final List<AptSource> repositories;
  private final List<Ppa> ppas;
  private final List<LocalPackage> localPackages;
  private final boolean keepLocalRepository;
  private final List<String> packages;
  private final List<String> excludedPackages;
  private final String hostname;
  private final List<UserAccount> users;
  private final List<FileEntry> files;
  private final List<Hook> hooks;
  private final List<OutputFormat> outputs;
  private final Long sourceDateEpoch;
  private final String baseImage;
  private final DiskOptions disk;
  private final boolean updates;
  private final boolean security;
  private final Lock lock;

  /** Fills in the defaults and checks every value, in the order the first version did. */
  private ImageSpec(Builder b) {
    Checks.notNull(b.series, "series");
    Series parsed =
        b.distribution == null ? Series.parse(b.series) : new Series(b.distribution, b.series);
    distribution = parsed.distribution();
    series = parsed.codename();
    architecture = Checks.notNull(b.architecture, "architecture");
    if (b.board != null && b.board.isBlank()) {
      throw new IllegalArgumentException("invalid board '' (expected a board id or none)");
    }
    board = b.board;
    variant = b.variant == null ? Variant.MINBASE : b.variant;
    mirror =
        Checks.url(
            b.mirror == null ? distribution.defaultMirror(architecture) : b.mirror, "mirror");
    if (b.mirrorKey != null && b.mirrorKey.isBlank()) {
      throw new IllegalArgumentException(
          "invalid mirror key '' (expected the path of an OpenPGP key)");
    }
    mirrorKey = b.mirrorKey;
    List<String> givenComponents = Checks.distinctCopy(b.components, "components");
    components = givenComponents.isEmpty() ? distribution.defaultComponents() : givenComponents;
    repositories = Checks.distinctCopy(b.repositories, "repositories");
    requireUniqueSourceNames(repositories);
    ppas = Checks.distinctCopy(b.ppas, "PPAs");
    localPackages = Checks.distinctCopy(b.localPackages, "local packages");
    keepLocalRepository = b.keepLocalRepository;
    packages = Checks.packageCount(Checks.sortedCopy(b.packages, "packages"), "packages");
    packages.forEach(Checks::packageRequest);
    excludedPackages =
        Checks.packageCount(
            Checks.sortedCopy(b.excludedPackages, "excluded packages"), "excluded packages");
    excludedPackages.forEach(Checks::packageRequest);
    for (String p : excludedPackages) {
      if (packages.contains(p)) {
        throw new IllegalArgumentException(
            "package '" + p + "' is both requested and excluded (expected one or the other)");
      }
    }
    hostname = Checks.hostname(b.hostname == null ? distribution.id() : b.hostname);
    users = Checks.distinctCopy(b.users, "users");
    files = Checks.distinctCopy(b.files, "files");
    hooks = Checks.distinctCopy(b.hooks, "hooks");
    List<OutputFormat> givenOutputs = Checks.distinctCopy(b.outputs, "outputs");
    outputs =
        givenOutputs.isEmpty()
            ? List.of(board == null ? OutputFormat.TAR_ZST : OutputFormat.RAW)
            : givenOutputs;
    for (OutputFormat f : outputs) {
      if (f.isDiskImage() && board == null) {
        throw new IllegalArgumentException(
            "output format '"
                + f
                + "' is a disk image and needs a board (expected forBoard(...)"
                + " or a tarball format such as tar.zst)");
      }
    }
    if (b.sourceDateEpoch != null) {
      Checks.sourceDateEpoch(b.sourceDateEpoch);
    }
    sourceDateEpoch = b.sourceDateEpoch;
    if (b.baseImage != null && b.baseImage.isBlank()) {
      throw new IllegalArgumentException("invalid base image '' (expected a path or URL)");
    }
    baseImage = b.baseImage;
    disk = b.disk == null || b.disk.isEmpty() ? null : b.disk;
    if (disk != null && board == null) {
      throw new IllegalArgumentException(
          "disk options " + disk + " need a board (expected forBoard(...) or no disk options)");
    }
    updates = b.updates == null || b.updates;
    security = b.security == null || b.security;
    lock = b.lock;
    requireLockMatchesBase(lock, baseImage);
  }

  /** A lock pins the base image it was made from: a lock and a spec must agree on having one. */
  private static void requireLockMatchesBase(Lock lock, String baseImage) {
    if (lock == null || (lock.baseImageSha256() != null) == (baseImage != null)) {
      return;
    }
    throw new IllegalArgumentException(
        baseImage == null
            ? "the lock was made from a base image (sha256 "
                + lock.baseImageSha256()
                + ") but the spec names none (expected withBaseImage(...) of that image, or a lock"
                + " made without one)"
            : "the spec builds from base image '"
                + Checks.excerpt(io.imagebuilder.internal.validate.Secrets.redact(baseImage))
                + "' but the lock was made without one (expected the lock of a build from that"
                + " base image)");
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

  /**
   * Starts a spec for a series such as {@code bookworm} or {@code debian/forky}.
   *
   * @param series a known code name, or {@code distribution/codename} for any other
   * @return a builder with only the series set
   * @throws IllegalArgumentException for a series that is neither
   */
  public static Builder builder(String series) {
    return new Builder(Series.parse(series));
  }

  /**
   * Reads a spec; unknown fields and bad values are rejected, naming them. Reads the JSON of every
   * earlier version, canonical or not, to the spec it described.
   *
   * @param json a JSON object as {@link #toJson()} or {@link #toCanonicalJson()} write it
   * @return the spec, with defaults filled in
   * @throws IllegalArgumentException for any problem with the JSON
   */
  public static ImageSpec fromJson(String json) {
    return Json.read(json, ImageSpec.class, "image spec");
  }

  /**
   * A builder holding every field of this spec, to build a changed copy.
   *
   * @return a new builder; changing it does not change this spec
   */
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
    b.updates = updates ? null : false;
    b.security = security ? null : false;
    b.lock = lock;
    return b;
  }

  /**
   * Debian or Ubuntu; inferred from a known series.
   *
   * @return the distribution
   */
  @JsonProperty("distribution")
  public Distribution distribution() {
    return distribution;
  }

  /**
   * The code name, e.g. {@code bookworm}.
   *
   * @return the series' code name, without the distribution
   */
  @JsonProperty("series")
  public String series() {
    return series;
  }

  /**
   * The series with its distribution.
   *
   * @return e.g. {@code debian/bookworm}
   */
  @JsonIgnore
  public Series seriesRef() {
    return new Series(distribution, series);
  }

  /**
   * The target's Debian architecture.
   *
   * @return the architecture
   */
  @JsonProperty("architecture")
  public Architecture architecture() {
    return architecture;
  }

  /**
   * A board id, or null for a rootfs without a board.
   *
   * @return the board id or null
   */
  @JsonProperty("board")
  public String board() {
    return board;
  }

  /**
   * The bootstrap package set; default minbase.
   *
   * @return the variant
   */
  @JsonProperty("variant")
  public Variant variant() {
    return variant;
  }

  /**
   * The archive of the distribution; default its public mirror for the architecture.
   *
   * @return the mirror URL, without a trailing slash
   */
  @JsonProperty("mirror")
  public String mirror() {
    return mirror;
  }

  /**
   * Path of the key the mirror's InRelease must verify against; null means the distribution's
   * archive keyring (bundled for Debian; the host's ubuntu-keyring for Ubuntu).
   *
   * @return the key file or null
   */
  @JsonProperty("mirrorKey")
  public String mirrorKey() {
    return mirrorKey;
  }

  /**
   * Components of the main archive; default {@code [main]}.
   *
   * @return an immutable list, in the order given
   */
  @JsonProperty("components")
  public List<String> components() {
    return components;
  }

  /**
   * Extra apt sources, each with its own key.
   *
   * @return an immutable list, in the order given
   */
  @JsonProperty("repositories")
  public List<AptSource> repositories() {
    return repositories;
  }

  /**
   * Launchpad PPAs.
   *
   * @return an immutable list, in the order given
   */
  @JsonProperty("ppas")
  public List<Ppa> ppas() {
    return ppas;
  }

  /**
   * .debs served from a side repository during the build.
   *
   * @return an immutable list, in the order given
   */
  @JsonProperty("localPackages")
  public List<LocalPackage> localPackages() {
    return localPackages;
  }

  /**
   * Whether the side repository of the local packages stays configured in the image.
   *
   * @return true to keep it; default false
   */
  @JsonProperty("keepLocalRepository")
  public boolean keepLocalRepository() {
    return keepLocalRepository;
  }

  /**
   * Packages installed after the bootstrap.
   *
   * @return an immutable, sorted list
   */
  @JsonProperty("packages")
  public List<String> packages() {
    return packages;
  }

  /**
   * Packages removed from the image.
   *
   * @return an immutable, sorted list
   */
  @JsonProperty("excludedPackages")
  public List<String> excludedPackages() {
    return excludedPackages;
  }

  /**
   * The image's host name; default the distribution's id.
   *
   * @return the host name
   */
  @JsonProperty("hostname")
  public String hostname() {
    return hostname;
  }

  /**
   * Accounts to create.
   *
   * @return an immutable list, in the order given
   */
  @JsonProperty("users")
  public List<UserAccount> users() {
    return users;
  }

  /**
   * Files to place.
   *
   * @return an immutable list, in the order given
   */
  @JsonProperty("files")
  public List<FileEntry> files() {
    return files;
  }

  /**
   * Commands run inside the target at named points.
   *
   * @return an immutable list, in the order given
   */
  @JsonProperty("hooks")
  public List<Hook> hooks() {
    return hooks;
  }

  /**
   * Artifact formats; default {@code img} with a board, else {@code tar.zst}.
   *
   * @return an immutable, non-empty list, in the order given
   */
  @JsonProperty("outputs")
  public List<OutputFormat> outputs() {
    return outputs;
  }

  /**
   * Clamp for every timestamp; null means the Release file's Date.
   *
   * @return seconds since 1970, or null
   */
  @JsonProperty("sourceDateEpoch")
  public Long sourceDateEpoch() {
    return sourceDateEpoch;
  }

  /**
   * A rootfs tarball to start from instead of bootstrapping, or null.
   *
   * @return a path or URL, or null
   */
  @JsonProperty("baseImage")
  public String baseImage() {
    return baseImage;
  }

  /**
   * Disk image sizing and first-boot growth other than the board's, or null.
   *
   * @return the options, never empty ones, or null
   */
  @JsonProperty("disk")
  public DiskOptions disk() {
    return disk;
  }

  /**
   * Whether the series' updates suite ({@code bookworm-updates}, {@code noble-updates}) is read and
   * configured beside the series, where the series has one; default true.
   *
   * @return true unless the spec switched it off; written to JSON only when false
   */
  @JsonProperty("updates")
  @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = TrueByDefault.class)
  public boolean updates() {
    return updates;
  }

  /**
   * Whether the series' security suite ({@code bookworm-security} from Debian's security archive,
   * {@code noble-security}) is read and configured beside the series, where the series has one;
   * default true.
   *
   * @return true unless the spec switched it off; written to JSON only when false
   */
  @JsonProperty("security")
  @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = TrueByDefault.class)
  public boolean security() {
    return security;
  }

  /**
   * Leaves a flag whose default is true out of the JSON while it has that default (Jackson calls
   * {@code equals} with the value: true means leave it out), so specs that do not switch it off
   * keep their JSON and hash.
   */
  private static final class TrueByDefault {
    @Override
    public boolean equals(Object value) {
      return Boolean.TRUE.equals(value);
    }

    @Override
    public int hashCode() {
      return 1;
    }
  }

  /**
   * The lock the build installs its packages from ({@link Lock}), or null to resolve them from the
   * repositories' current indexes. Part of the spec's identity, so a locked build is another image
   * than an unlocked one of the same description.
   *
   * @return the lock, or null
   */
  @JsonProperty("lock")
  public Lock lock() {
    return lock;
  }

  /**
   * Sorted keys, no whitespace: what {@link #specHash()} hashes.
   *
   * @return the canonical JSON
   */
  public String toCanonicalJson() {
    return Json.canonical(this);
  }

  /**
   * Indented JSON for people; the same fields as the canonical form.
   *
   * @return the JSON, ending in a newline
   */
  public String toJson() {
    return Json.pretty(this);
  }

  /**
   * sha256 of the canonical JSON: the spec's identity in manifests and image indexes.
   *
   * @return 64 lower-case hex digits
   */
  public String specHash() {
    return Json.sha256(toCanonicalJson());
  }

  /** Every field by name, in declaration order: the one list equality, hash and text use. */
  private Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("distribution", distribution);
    f.put("series", series);
    f.put("architecture", architecture);
    f.put("board", board);
    f.put("variant", variant);
    f.put("mirror", mirror);
    f.put("mirrorKey", mirrorKey);
    f.put("components", components);
    f.put("repositories", repositories);
    f.put("ppas", ppas);
    f.put("localPackages", localPackages);
    f.put("keepLocalRepository", keepLocalRepository);
    f.put("packages", packages);
    f.put("excludedPackages", excludedPackages);
    f.put("hostname", hostname);
    f.put("users", users);
    f.put("files", files);
    f.put("hooks", hooks);
    f.put("outputs", outputs);
    f.put("sourceDateEpoch", sourceDateEpoch);
    f.put("baseImage", baseImage);
    f.put("disk", disk);
    f.put("updates", updates);
    f.put("security", security);
    f.put("lock", lock);
    return f;
  }

  /**
   * Whether {@code o} is a spec with equal values in every field.
   *
   * @param o any object
   * @return true for a spec with the same fields
   */
  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof ImageSpec other && fields().equals(other.fields()));
  }

  /**
   * A hash code of every field, consistent with {@link #equals(Object)}.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return fields().hashCode();
  }

  /**
   * Every field, for logs and messages: {@code ImageSpec[distribution=debian, series=...]}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    StringJoiner text = new StringJoiner(", ", "ImageSpec[", "]");
    fields().forEach((name, value) -> text.add(name + "=" + value));
    return text.toString();
  }

  /**
   * Collects the fields of a spec; {@link #build()} fills in defaults and validates. Each setter
   * checks its value at once, so a bad value fails where it is given.
   *
   * <p>JSON is read through the private {@code json...} setters, which take values as written (null
   * for a field left to its default) and leave every check to {@link #build()}, as reading did
   * before there was a builder.
   */
  @JsonPOJOBuilder(withPrefix = "json", buildMethodName = "build")
  public static final class Builder {
    private Distribution distribution;
    private String series;
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
    private Boolean updates;
    private Boolean security;
    private Lock lock;

    /** For JSON: every field starts as if the JSON left it out. */
    private Builder() {}

    private Builder(Series series) {
      setSeries(series);
    }

    private void setSeries(Series value) {
      this.distribution = value.distribution();
      this.series = value.codename();
    }

    /**
     * Sets the series, replacing the one given to {@link ImageSpec#builder(String)}.
     *
     * @param value a known code name such as {@code bookworm}, or {@code distribution/codename}
     * @return this builder
     * @throws IllegalArgumentException for a series that is neither
     */
    public Builder series(String value) {
      setSeries(Series.parse(value));
      return this;
    }

    /**
     * Sets the target architecture (required).
     *
     * @param value the architecture
     * @return this builder
     * @throws IllegalArgumentException if {@code value} is null
     */
    public Builder architecture(Architecture value) {
      this.architecture = Checks.notNull(value, "architecture");
      return this;
    }

    /**
     * Sets the board the image is made bootable for; null for a rootfs without a board.
     *
     * @param boardId a board id such as {@code qemu-arm64}, or null
     * @return this builder
     */
    public Builder board(String boardId) {
      this.board = boardId;
      return this;
    }

    /**
     * Sets the bootstrap package set; default {@link Variant#MINBASE}.
     *
     * @param value the variant
     * @return this builder
     * @throws IllegalArgumentException if {@code value} is null
     */
    public Builder variant(Variant value) {
      this.variant = Checks.notNull(value, "variant");
      return this;
    }

    /**
     * Sets the distribution's archive; default its public mirror for the architecture.
     *
     * @param url an http, https or file URL; a trailing slash is dropped
     * @return this builder
     * @throws IllegalArgumentException for any other URL
     */
    public Builder mirror(String url) {
      this.mirror = Checks.url(url, "mirror");
      return this;
    }

    /**
     * Sets the key file the mirror is signed with, for mirrors the bundled keyrings do not cover.
     *
     * @param keyFile path of an OpenPGP key (armored or binary), or null for the distribution's
     * @return this builder
     */
    public Builder mirrorKey(String keyFile) {
      this.mirrorKey = keyFile;
      return this;
    }

    /**
     * Sets the components of the main archive, replacing any given before; default {@code [main]}.
     *
     * @param values component names; duplicates are dropped
     * @return this builder
     * @throws IllegalArgumentException if an element is null
     */
    public Builder components(List<String> values) {
      this.components = new ArrayList<>(Checks.distinctCopy(values, "components"));
      return this;
    }

    /**
     * Adds an extra apt source.
     *
     * @param source the source; its name must differ from every other source's
     * @return this builder
     * @throws IllegalArgumentException if {@code source} is null
     */
    public Builder addRepository(AptSource source) {
      repositories.add(Checks.notNull(source, "repository"));
      return this;
    }

    /**
     * Adds a Launchpad PPA.
     *
     * @param ppa the PPA
     * @return this builder
     * @throws IllegalArgumentException if {@code ppa} is null
     */
    public Builder addPpa(Ppa ppa) {
      ppas.add(Checks.notNull(ppa, "PPA"));
      return this;
    }

    /**
     * Adds a .deb to serve from a side repository during the build.
     *
     * @param deb the package file and its sha256
     * @return this builder
     * @throws IllegalArgumentException if {@code deb} is null
     */
    public Builder addLocalPackage(LocalPackage deb) {
      localPackages.add(Checks.notNull(deb, "local package"));
      return this;
    }

    /**
     * Sets whether the side repository of the local packages stays configured in the image.
     *
     * @param keep true to keep it; default false
     * @return this builder
     */
    public Builder keepLocalRepository(boolean keep) {
      this.keepLocalRepository = keep;
      return this;
    }

    /**
     * Adds a package to install after the bootstrap.
     *
     * @param name a package name, optionally with {@code :arch} and {@code =version}
     * @return this builder
     * @throws IllegalArgumentException for anything else
     */
    public Builder addPackage(String name) {
      packages.add(Checks.packageRequest(name));
      return this;
    }

    /**
     * Adds a package to remove from the image.
     *
     * @param name a package name, optionally with {@code :arch} and {@code =version}
     * @return this builder
     * @throws IllegalArgumentException for anything else
     */
    public Builder addExcludedPackage(String name) {
      excludedPackages.add(Checks.packageRequest(name));
      return this;
    }

    /**
     * Sets the image's host name; default the distribution's id.
     *
     * @param value an RFC 1123 host name label
     * @return this builder
     * @throws IllegalArgumentException for anything else
     */
    public Builder hostname(String value) {
      this.hostname = Checks.hostname(value);
      return this;
    }

    /**
     * Adds an account to create.
     *
     * @param user the account
     * @return this builder
     * @throws IllegalArgumentException if {@code user} is null
     */
    public Builder addUser(UserAccount user) {
      users.add(Checks.notNull(user, "user"));
      return this;
    }

    /**
     * Adds a file to place in the image.
     *
     * @param file the file, its mode and content
     * @return this builder
     * @throws IllegalArgumentException if {@code file} is null
     */
    public Builder addFile(FileEntry file) {
      files.add(Checks.notNull(file, "file"));
      return this;
    }

    /**
     * Adds a command to run inside the target.
     *
     * @param hook the command and when it runs
     * @return this builder
     * @throws IllegalArgumentException if {@code hook} is null
     */
    public Builder addHook(Hook hook) {
      hooks.add(Checks.notNull(hook, "hook"));
      return this;
    }

    /**
     * Sets the artifact formats, replacing any given before; default {@code img} with a board, else
     * {@code tar.zst}.
     *
     * @param formats the formats; duplicates are dropped, disk images need a board
     * @return this builder
     * @throws IllegalArgumentException if an element is null
     */
    public Builder outputs(List<OutputFormat> formats) {
      this.outputs = new ArrayList<>(Checks.distinctCopy(formats, "outputs"));
      return this;
    }

    /**
     * Sets the clamp for every timestamp in the image; default the Release file's Date.
     *
     * @param epochSeconds seconds since 1970
     * @return this builder
     * @throws IllegalArgumentException if {@code epochSeconds} is negative or after 2100-01-01
     */
    public Builder sourceDateEpoch(long epochSeconds) {
      this.sourceDateEpoch = Checks.sourceDateEpoch(epochSeconds);
      return this;
    }

    /**
     * Sets a rootfs tarball to start from instead of bootstrapping.
     *
     * @param pathOrUrl a path or URL, or null to bootstrap
     * @return this builder
     */
    public Builder baseImage(String pathOrUrl) {
      this.baseImage = pathOrUrl;
      return this;
    }

    /**
     * Sets the lock the build installs exactly its packages from.
     *
     * @param value the lock, or null to resolve packages from the current indexes
     * @return this builder
     */
    public Builder lock(Lock value) {
      this.lock = value;
      return this;
    }

    /**
     * Sets the free space left in the root filesystem of the disk image.
     *
     * @param size e.g. {@code 2GiB} (KiB, MiB or GiB)
     * @return this builder
     * @throws IllegalArgumentException for any other size
     */
    public Builder rootFreeSpace(String size) {
      this.disk = (disk == null ? new DiskOptions(null, null) : disk).withRootFreeSpace(size);
      return this;
    }

    /**
     * Sets whether the root partition and filesystem grow to fill the medium at first boot.
     *
     * @param grow true to grow, false to keep the size; default the board's
     * @return this builder
     */
    public Builder growRoot(boolean grow) {
      this.disk = (disk == null ? new DiskOptions(null, null) : disk).withGrowRoot(grow);
      return this;
    }

    /**
     * Sets whether the series' updates suite is used beside it (where the series has one).
     *
     * @param enabled false to use the series without its updates suite; default true
     * @return this builder
     */
    public Builder updates(boolean enabled) {
      this.updates = enabled;
      return this;
    }

    /**
     * Sets whether the series' security suite is used beside it (where the series has one).
     *
     * @param enabled false to use the series without its security suite; default true
     * @return this builder
     */
    public Builder security(boolean enabled) {
      this.security = enabled;
      return this;
    }

    /**
     * The architecture given so far.
     *
     * @return the architecture, or null if none was given yet
     */
    public Architecture architecture() {
      return architecture;
    }

    /**
     * The board given so far.
     *
     * @return the board id, or null
     */
    public String board() {
      return board;
    }

    /**
     * Fills in the defaults and checks the whole spec.
     *
     * @return the spec
     * @throws IllegalArgumentException naming the first bad or conflicting value
     */
    public ImageSpec build() {
      return new ImageSpec(this);
    }

    // JSON: each field as written; null leaves it to its default. Checked by build().

    @JsonProperty("distribution")
    private Builder jsonDistribution(Distribution value) {
      this.distribution = value;
      return this;
    }

    @JsonProperty("series")
    private Builder jsonSeries(String value) {
      this.series = value;
      return this;
    }

    @JsonProperty("architecture")
    private Builder jsonArchitecture(Architecture value) {
      this.architecture = value;
      return this;
    }

    @JsonProperty("board")
    private Builder jsonBoard(String value) {
      this.board = value;
      return this;
    }

    @JsonProperty("variant")
    private Builder jsonVariant(Variant value) {
      this.variant = value;
      return this;
    }

    @JsonProperty("mirror")
    private Builder jsonMirror(String value) {
      this.mirror = value;
      return this;
    }

    @JsonProperty("mirrorKey")
    private Builder jsonMirrorKey(String value) {
      this.mirrorKey = value;
      return this;
    }

    @JsonProperty("components")
    private Builder jsonComponents(List<String> values) {
      this.components = values;
      return this;
    }

    @JsonProperty("repositories")
    private Builder jsonRepositories(List<AptSource> values) {
      this.repositories = values;
      return this;
    }

    @JsonProperty("ppas")
    private Builder jsonPpas(List<Ppa> values) {
      this.ppas = values;
      return this;
    }

    @JsonProperty("localPackages")
    private Builder jsonLocalPackages(List<LocalPackage> values) {
      this.localPackages = values;
      return this;
    }

    @JsonProperty("keepLocalRepository")
    private Builder jsonKeepLocalRepository(boolean value) {
      this.keepLocalRepository = value;
      return this;
    }

    @JsonProperty("packages")
    private Builder jsonPackages(List<String> values) {
      this.packages = values;
      return this;
    }

    @JsonProperty("excludedPackages")
    private Builder jsonExcludedPackages(List<String> values) {
      this.excludedPackages = values;
      return this;
    }

    @JsonProperty("hostname")
    private Builder jsonHostname(String value) {
      this.hostname = value;
      return this;
    }

    @JsonProperty("users")
    private Builder jsonUsers(List<UserAccount> values) {
      this.users = values;
      return this;
    }

    @JsonProperty("files")
    private Builder jsonFiles(List<FileEntry> values) {
      this.files = values;
      return this;
    }

    @JsonProperty("hooks")
    private Builder jsonHooks(List<Hook> values) {
      this.hooks = values;
      return this;
    }

    @JsonProperty("outputs")
    private Builder jsonOutputs(List<OutputFormat> values) {
      this.outputs = values;
      return this;
    }

    @JsonProperty("sourceDateEpoch")
    private Builder jsonSourceDateEpoch(Long value) {
      this.sourceDateEpoch = value;
      return this;
    }

    @JsonProperty("baseImage")
    private Builder jsonBaseImage(String value) {
      this.baseImage = value;
      return this;
    }

    @JsonProperty("disk")
    private Builder jsonDisk(DiskOptions value) {
      this.disk = value;
      return this;
    }

    @JsonProperty("updates")
    private Builder jsonUpdates(Boolean value) {
      this.updates = value;
      return this;
    }

    @JsonProperty("security")
    private Builder jsonSecurity(Boolean value) {
      this.security = value;
      return this;
    }

    @JsonProperty("lock")
    private Builder jsonLock(Lock value) {
      this.lock = value;
      return this;
    }
  }
}
