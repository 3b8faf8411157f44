package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.error.BuildCancelledException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.AptSource;
import io.imagebuilder.api.spec.Distribution;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.Ppa;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.api.stage.UsedRepository;
import io.imagebuilder.internal.io.RootfsPaths;
import io.imagebuilder.rootfs.internal.repo.Keyring;
import io.imagebuilder.rootfs.internal.repo.KeyserverClient;
import io.imagebuilder.rootfs.internal.repo.LaunchpadClient;
import io.imagebuilder.rootfs.internal.repo.ReleaseInputs;
import io.imagebuilder.rootfs.internal.repo.Repository;
import io.imagebuilder.rootfs.internal.repo.RepositoryClient;
import io.imagebuilder.rootfs.internal.repo.RepositorySource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code rootfs.sources}: writes the image's apt sources as deb822 {@code .sources} files, each
 * with the {@code Signed-By} key that alone may sign it: the distribution's archive (keyring from
 * the image's keyring package; the series with its updates suite, and its security suite in a
 * source of its own, see {@link #archiveSources}), each extra repository and each PPA (keys copied
 * into {@code /etc/apt/keyrings}). An unsigned source is written only when the spec opted in for
 * it.
 *
 * <p>A PPA given only by its key's fingerprint gets that key from the keyserver ({@link
 * KeyserverClient}: Launchpad's keyserver.ubuntu.com unless the host configures another), checked
 * to be exactly that key and cached under {@code <cacheDir>/keys}; from then on it is handled as a
 * key file. A PPA given with no key at all first gets that fingerprint from Launchpad's web API
 * ({@link LaunchpadClient}, cached beside the keys), as {@code add-apt-repository} does: the key is
 * then as trusted as the HTTPS answer of Launchpad. The fingerprint used is recorded with the
 * repository for the manifest.
 *
 * <p>Each extra source is read and verified natively before any stage runs, against its own key
 * only: a source signed by another key fails the build with an error naming the source and the
 * keys, before any download. The repositories read are recorded for the manifest.
 *
 * <p>Options ({@link Options}): the archive (distribution, mirror, series, components,
 * architecture, mirrorKey, the suites beside the series), {@code repositories}, {@code ppas}.
 */
final class SourcesStage implements Stage {
  /**
   * What the sources stage reads.
   *
   * @param archive the spec's archive, written as the first source
   * @param repositories the extra repositories
   * @param ppas the PPAs
   */
  record Options(ArchiveOptions archive, List<AptSource> repositories, List<Ppa> ppas) {
    Options {
      repositories = List.copyOf(repositories);
      ppas = List.copyOf(ppas);
    }

    static Options of(ImageSpec spec) {
      return new Options(ArchiveOptions.of(spec), spec.repositories(), spec.ppas());
    }
  }

  private final Options options;

  /** The host's keyserver, read when first needed (null until then). */
  private URI keyserver;

  /** The host's Launchpad API, read when first needed (null until then). */
  private URI launchpadApi;

  /** Where a PPA's archive is read from and pointed at; Launchpad's in production. */
  private final Function<Ppa, String> ppaArchive;

  /** The key file of each PPA: its own, or the one fetched by fingerprint. */
  private final Map<String, Path> ppaKeys = new LinkedHashMap<>();

  /** The fingerprint each PPA's InRelease must be signed by: pinned, or Launchpad's answer. */
  private final Map<String, String> ppaFingerprints = new LinkedHashMap<>();

  /** Where Launchpad's answer is cached, by source name, for the PPAs given without a key. */
  private final Map<String, Path> fromLaunchpadCache = new LinkedHashMap<>();

  /** The extra sources as verify() read them, recorded by run(). */
  private List<UsedRepository> verified;

  SourcesStage(Options options) {
    this(options, null, null, Ppa::uri);
  }

  /**
   * A stage asking {@code launchpadApi} for PPA fingerprints and {@code keyserver} for keys, and
   * reading PPAs from {@code ppaArchive} (tests).
   */
  SourcesStage(Options options, URI launchpadApi, URI keyserver, Function<Ppa, String> ppaArchive) {
    this.options = options;
    this.launchpadApi = launchpadApi;
    this.keyserver = keyserver;
    this.ppaArchive = ppaArchive;
  }

  @Override
  public String type() {
    return "rootfs.sources";
  }

  @Override
  public String summary() {
    int extra = options.repositories().size() + options.ppas().size();
    return options.archive().mirror()
        + " "
        + options.archive().series()
        + BootstrapStage.besides(options.archive())
        + (extra == 0 ? "" : " + " + extra + " extra source(s)");
  }

  @Override
  public Phase phase() {
    return Phase.SOURCES;
  }

  @Override
  public Map<String, Object> options() {
    return StageOptions.of(options);
  }

  @Override
  public void verify(StageContext context) throws ImageBuildException {
    try {
      resolvePpaKeys(context);
      verified = readExtraSources(context);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildCancelledException("cancelled while reading the extra apt sources", e);
    }
  }

  /**
   * Finds each PPA's key file: the one given, else the key of its fingerprint from the cache or the
   * keyserver, the fingerprint being the one given or else Launchpad's answer.
   */
  private void resolvePpaKeys(StageContext context)
      throws ImageBuildException, InterruptedException {
    if (ppaKeys.size() == options.ppas().size()) {
      return;
    }
    Path keyDir = context.cacheDir().resolve("keys");
    KeyserverClient keys = null;
    LaunchpadClient launchpad = null;
    for (Ppa ppa : options.ppas()) {
      if (ppa.keyFile() != null) {
        ppaKeys.put(ppa.ppa(), Path.of(ppa.keyFile()));
        if (ppa.fingerprint() != null) {
          ppaFingerprints.put(ppa.ppa(), ppa.fingerprint());
        }
        continue;
      }
      String fingerprint = ppa.fingerprint();
      String fromLaunchpad = null;
      if (fingerprint == null) {
        if (launchpad == null) {
          if (launchpadApi == null) {
            launchpadApi = LaunchpadClient.SETTING.valueForBuild();
          }
          launchpad = new LaunchpadClient(launchpadApi, keyDir);
        }
        try {
          fingerprint = launchpad.signingKeyFingerprint(ppa);
        } catch (ImageBuildException e) {
          // The client's message names the PPA and the URL asked.
          throw new ImageBuildException(
              e.getMessage()
                  + "; give the PPA's key's fingerprint or a key file instead: "
                  + pinned(ppa),
              e);
        }
        fromLaunchpad =
            " (the fingerprint Launchpad gave, cached in " + launchpad.cachedFingerprint(ppa) + ")";
        fromLaunchpadCache.put(ppaName(ppa), launchpad.cachedFingerprint(ppa));
      }
      if (keys == null) {
        if (keyserver == null) {
          keyserver = KeyserverClient.SETTING.valueForBuild();
        }
        keys = new KeyserverClient(keyserver, keyDir);
      }
      try {
        ppaKeys.put(ppa.ppa(), keys.fetch(fingerprint));
        ppaFingerprints.put(ppa.ppa(), fingerprint);
      } catch (ImageBuildException e) {
        // The client's message names the fingerprint and the keyserver.
        throw new ImageBuildException(
            "PPA '"
                + ppa.ppa()
                + "': "
                + e.getMessage()
                + (fromLaunchpad == null ? "" : fromLaunchpad)
                + "; give its key as a file instead: withPpa(\""
                + ppa.ppa()
                + "\", keyFile) or --ppa "
                + ppa.ppa()
                + "=KEYFILE",
            e);
      }
    }
  }

  /** How a caller pins a PPA's key, so that Launchpad is not asked. */
  private static String pinned(Ppa ppa) {
    String p = ppa.ppa();
    return "withPpa(\""
        + p
        + "\", fingerprint), withPpa(\""
        + p
        + "\", keyFile), or "
        + p
        + "=FINGERPRINT or "
        + p
        + "=KEYFILE (--ppa, a request's ppa_list)";
  }

  @Override
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    if (verified == null) {
      resolvePpaKeys(context);
      verified = readExtraSources(context);
    }
    verified.forEach(context::addRepository);
    Path root = context.rootfs();
    try {
      Files.deleteIfExists(RootfsPaths.resolve(root, "/etc/apt/sources.list"));
      for (Deb822Source source : sources(root)) {
        RootfsFiles.writeText(root, source.path(), source.render());
      }
      for (Path key : hostKeyFiles()) {
        context.recordInput(
            ReleaseInputs.file(key)); // copied into the image: its bytes are the image's
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot write apt sources: " + e.getMessage(), e);
    }
  }

  /** Reads and verifies every extra source natively, before any work; what was read is recorded. */
  private List<UsedRepository> readExtraSources(StageContext context)
      throws ImageBuildException, InterruptedException {
    // Index files are kept, so the packages stage writes apt's lists without fetching them again.
    RepositoryClient client =
        new RepositoryClient()
            .withIndexCache(
                new io.imagebuilder.rootfs.internal.repo.IndexCache(
                    context.cacheDir().resolve("indexes")));
    List<UsedRepository> used = new ArrayList<>();
    for (RepositorySource source : extraSources()) {
      context.checkCancelled();
      Repository read;
      try {
        read = client.fetch(source, context::progressBytes);
      } catch (ImageBuildException e) {
        Path cached = fromLaunchpadCache.get(source.name());
        if (cached == null) {
          throw e;
        }
        // Launchpad may have given the PPA a new key since its answer was cached.
        throw new ImageBuildException(
            e.getMessage()
                + " (the key is the one Launchpad named, cached in "
                + cached
                + ": delete that file to ask Launchpad again)",
            e);
      }
      ArchiveHashes.remember(context, read);
      context.recordInput(
          ReleaseInputs.release(source.uri().toString(), source.suite(), read.inReleaseSha256()));
      used.add(
          new UsedRepository(
              source.name(),
              source.uri().toString(),
              source.suite(),
              source.components(),
              read.signedBy(),
              read.inReleaseSha256(),
              read.date() == null ? null : read.date().toString()));
    }
    return used;
  }

  private List<RepositorySource> extraSources() throws ImageBuildException {
    String arch = options.archive().architecture().debianName();
    List<RepositorySource> out = new ArrayList<>();
    for (AptSource s : options.repositories()) {
      out.add(sourceOf(s, arch));
    }
    for (Ppa ppa : options.ppas()) {
      out.add(
          RepositorySource.signed(
              ppaName(ppa),
              URI.create(ppaArchive.apply(ppa)),
              options.archive().series(),
              List.of("main"),
              arch,
              keyring(
                  ppa.ppa(), ppaKeys.get(ppa.ppa()).toString(), ppaFingerprints.get(ppa.ppa()))));
    }
    return out;
  }

  /** An extra repository of the spec as the repository client reads it, with its key. */
  static RepositorySource sourceOf(AptSource s, String arch) throws ImageBuildException {
    URI uri = URI.create(s.uri());
    return s.allowUnsigned()
        ? RepositorySource.unsigned(s.name(), uri, s.suite(), s.components(), arch)
        : new RepositorySource(
            s.name(),
            uri,
            s.suite(),
            s.components(),
            arch,
            keyring(s.name(), s.signedBy(), s.fingerprint()),
            false,
            s.ignoreValidUntil());
  }

  /** The key file of a source, which must hold the pinned fingerprint when one is given. */
  private static Keyring keyring(String source, String keyFile, String fingerprint)
      throws ImageBuildException {
    Keyring keyring;
    try {
      keyring = Keyring.load(Path.of(keyFile));
    } catch (IOException | IllegalArgumentException e) {
      throw new ImageBuildException(
          "cannot read the key of source '" + source + "' from " + keyFile + ": " + e.getMessage(),
          e);
    }
    if (fingerprint != null && !keyring.fingerprints().contains(fingerprint)) {
      throw new ImageBuildException(
          "the key file "
              + keyFile
              + " of source '"
              + source
              + "' does not hold key "
              + fingerprint
              + " (it holds "
              + keyring.fingerprints()
              + ")");
    }
    return keyring;
  }

  private static String ppaName(Ppa ppa) {
    return "ppa-" + ppa.owner() + "-" + ppa.archive();
  }

  /** The host key files {@link #sources} copies into the image. */
  private List<Path> hostKeyFiles() {
    List<Path> keys = new ArrayList<>();
    for (AptSource s : options.repositories()) {
      if (!s.allowUnsigned()) {
        keys.add(Path.of(s.signedBy()));
      }
    }
    for (Ppa ppa : options.ppas()) {
      Path key = ppa.keyFile() != null ? Path.of(ppa.keyFile()) : ppaKeys.get(ppa.ppa());
      if (key != null) {
        keys.add(key);
      }
    }
    return keys;
  }

  List<Deb822Source> sources(Path root) throws IOException {
    List<Deb822Source> out = new ArrayList<>(archiveSources(options.archive()));
    for (AptSource s : options.repositories()) {
      String key = s.allowUnsigned() ? null : installKey(root, s.name(), Path.of(s.signedBy()));
      out.add(new Deb822Source(s.name(), s.uri(), List.of(s.suite()), s.components(), key));
    }
    for (Ppa ppa : options.ppas()) {
      String name = ppaName(ppa);
      Path key = ppa.keyFile() != null ? Path.of(ppa.keyFile()) : ppaKeys.get(ppa.ppa());
      if (key == null) {
        throw new IllegalStateException(
            "the key of PPA '" + ppa.ppa() + "' was not resolved before writing sources");
      }
      out.add(
          new Deb822Source(
              name,
              ppaArchive.apply(ppa),
              List.of(options.archive().series()),
              List.of("main"),
              installKey(root, name, key)));
    }
    return out;
  }

  /**
   * The archive's sources, as Debian and Ubuntu write them: the series and its updates suite in one
   * ({@code debian.sources}, Suites {@code bookworm bookworm-updates}), the security suite in its
   * own ({@code debian-security.sources}), each signed by the keyring of the image's keyring
   * package.
   */
  static List<Deb822Source> archiveSources(ArchiveOptions archive) {
    String keyring = archiveKeyring(archive.distribution());
    List<String> onTheMirror = new ArrayList<>();
    List<Deb822Source> out = new ArrayList<>();
    for (ArchiveSuite suite : archive.suites()) {
      if (suite.security()) {
        out.add(
            new Deb822Source(
                suite.name(), suite.uri(), List.of(suite.suite()), archive.components(), keyring));
      } else {
        onTheMirror.add(suite.suite());
      }
    }
    out.add(
        0,
        new Deb822Source(
            archive.distribution().id(),
            archive.mirror(),
            onTheMirror,
            archive.components(),
            keyring));
    return out;
  }

  static String archiveKeyring(Distribution distribution) {
    return "/usr/share/keyrings/" + distribution.id() + "-archive-keyring.gpg";
  }

  /** Copies a key into /etc/apt/keyrings, as .asc when armored (apt reads both). */
  private static String installKey(Path root, String name, Path hostKey) throws IOException {
    byte[] key = Files.readAllBytes(hostKey);
    boolean armored =
        new String(key, 0, Math.min(key.length, 64), java.nio.charset.StandardCharsets.US_ASCII)
            .contains("-----BEGIN PGP");
    String imagePath = "/etc/apt/keyrings/" + name + (armored ? ".asc" : ".gpg");
    RootfsFiles.write(root, imagePath, key, 0644);
    return imagePath;
  }
}
