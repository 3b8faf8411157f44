package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.LocalPackage;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.io.RootfsPaths;
import io.imagebuilder.internal.io.SafeDelete;
import io.imagebuilder.rootfs.internal.cache.PackageCache;
import io.imagebuilder.rootfs.internal.deb.DebCheck;
import io.imagebuilder.rootfs.internal.deb.DebFile;
import io.imagebuilder.rootfs.internal.localrepo.ArchiveKey;
import io.imagebuilder.rootfs.internal.localrepo.LocalRepository;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * {@code rootfs.local-repository}: serves the spec's local .debs to apt from a side repository
 * inside the target ({@value #DIR}), generated and signed in Java with a key derived from the spec,
 * and configured as the apt source {@value #NAME} with that key as {@code Signed-By}. Each file
 * must still have the sha256 recorded in the spec; a .deb named by an http(s) URL is downloaded
 * into the package cache and must have that sha256. Every .deb then passes {@link DebCheck} (no
 * entry that could land outside the target, no device node, no stray link) before any of it is
 * written into the image, so dpkg never sees a hostile one. Unless the spec keeps it, {@link
 * Removal} takes the repository out again before the image is finalised.
 *
 * <p>Options ({@link Options}): {@code packages} (path and sha256 of each .deb), {@code
 * architecture}, {@code keySeed}.
 */
final class LocalRepositoryStage implements Stage {
  static final String DIR = "/var/lib/imagebuilder/local-repository";
  static final String NAME = "imagebuilder-local";
  static final String KEY = "/etc/apt/keyrings/" + NAME + ".asc";

  /**
   * What the local repository stage reads.
   *
   * @param packages path (or URL) and sha256 of each .deb
   * @param architecture the target's architecture, the repository's
   * @param keySeed what the repository's signing key is derived from (the spec hash)
   */
  record Options(List<LocalPackage> packages, Architecture architecture, String keySeed) {
    Options {
      packages = List.copyOf(packages);
    }

    static Options of(ImageSpec spec) {
      return new Options(spec.localPackages(), spec.architecture(), spec.specHash());
    }
  }

  private final Options options;

  LocalRepositoryStage(Options options) {
    this.options = options;
  }

  @Override
  public String type() {
    return "rootfs.local-repository";
  }

  @Override
  public String summary() {
    return options.packages().size() + " local package(s) at " + DIR;
  }

  @Override
  public Phase phase() {
    return Phase.SOURCES;
  }

  @Override
  public int orderInPhase() {
    return 1; // after rootfs.sources, which replaces the image's source list
  }

  @Override
  public Map<String, Object> options() {
    return StageOptions.of(options);
  }

  /**
   * Checks each .deb on the build host before any work: unchanged since it was added, and safe
   * ({@link DebCheck}), so a hostile one fails the build before the bootstrap, not after it. A .deb
   * named by a URL is checked when it is downloaded; {@link #run} checks every file again.
   */
  @Override
  public void verify(StageContext context) throws ImageBuildException {
    for (LocalPackage deb : options.packages()) {
      if (!isUrl(deb)) {
        DebCheck.check(DebFile.open(checkUnchanged(deb)));
      }
    }
  }

  /** Whether the .deb is named by an http(s) URL rather than a path on the build host. */
  private static boolean isUrl(LocalPackage deb) {
    return deb.path().matches("(?i)https?://.*");
  }

  /**
   * The file of {@code deb}: a path as it is, after checking its sha256; a URL downloaded into the
   * package cache, which keeps only bytes of the sha256 the spec gives.
   */
  private static Path fileOf(LocalPackage deb, StageContext context) throws ImageBuildException {
    if (isUrl(deb)) {
      return new PackageCache(context.cacheDir().resolve("packages"))
          .fetch(URI.create(deb.path()), deb.sha256(), -1);
    }
    return checkUnchanged(deb);
  }

  private static Path checkUnchanged(LocalPackage deb) throws ImageBuildException {
    Path file = Path.of(deb.path());
    try {
      String actual = Sha256.ofFile(file);
      if (!actual.equals(deb.sha256())) {
        throw new ImageBuildException(
            "local package "
                + file
                + " changed since it was added to the spec (sha256 "
                + actual
                + ", the spec says "
                + deb.sha256()
                + ")");
      }
      return file;
    } catch (IOException e) {
      throw new ImageBuildException("cannot read local package " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void run(StageContext context) throws ImageBuildException {
    List<Path> debs = new ArrayList<>();
    for (LocalPackage deb : options.packages()) {
      Path file = fileOf(deb, context);
      DebCheck.check(DebFile.open(file));
      debs.add(file);
      ArchiveHashes.remember(context, deb.sha256(), NAME);
    }
    long epoch = context.sourceDateEpoch().orElse(0L);
    ArchiveKey key =
        ArchiveKey.derive(
            "ImageBuilder local packages",
            options.keySeed().getBytes(StandardCharsets.US_ASCII),
            new Date(epoch * 1000));
    Path root = context.rootfs();
    try {
      Path dir = RootfsPaths.resolve(root, DIR);
      // A base image may hold one already (an image built with keepLocalRepository): start afresh.
      List<Path> mounts = SafeDelete.deleteTree(dir);
      if (!mounts.isEmpty()) {
        throw new ImageBuildException(
            "cannot replace " + DIR + " in the image: mount points inside " + mounts);
      }
      LocalRepository.write(
          dir, debs, options.architecture().debianName(), key, Instant.ofEpochSecond(epoch));
      RootfsFiles.write(root, KEY, key.armoredPublicKey(), 0644);
      Deb822Source source =
          new Deb822Source(
              NAME,
              "file:" + DIR,
              List.of(LocalRepository.SUITE),
              List.of(LocalRepository.COMPONENT),
              KEY);
      RootfsFiles.writeText(root, source.path(), source.render());
    } catch (IOException e) {
      throw new ImageBuildException("cannot set up the local repository: " + e.getMessage(), e);
    }
  }

  /** {@code rootfs.local-repository-removal}: takes the side repository out of the image. */
  static final class Removal implements Stage {
    /** It reads nothing but the rootfs. */
    record Options() {}

    private final Options options;

    Removal(Options options) {
      this.options = options;
    }

    @Override
    public String type() {
      return "rootfs.local-repository-removal";
    }

    @Override
    public String summary() {
      return "remove the local package repository from the image";
    }

    @Override
    public Phase phase() {
      return Phase.FINALISE;
    }

    @Override
    public int orderInPhase() {
      return -1; // before rootfs.finalise clamps the timestamps
    }

    @Override
    public Map<String, Object> options() {
      return StageOptions.of(options);
    }

    @Override
    public void run(StageContext context) throws ImageBuildException {
      Path root = context.rootfs();
      try {
        SafeDelete.deleteTreeOrThrow(RootfsPaths.resolve(root, DIR));
        Files.deleteIfExists(RootfsPaths.resolve(root, KEY));
        Files.deleteIfExists(
            RootfsPaths.resolve(root, "/etc/apt/sources.list.d/" + NAME + ".sources"));
      } catch (IOException e) {
        throw new ImageBuildException("cannot remove the local repository: " + e.getMessage(), e);
      }
    }
  }
}
