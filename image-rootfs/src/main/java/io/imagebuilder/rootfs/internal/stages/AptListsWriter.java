package io.imagebuilder.rootfs.internal.stages;

import com.google.common.hash.HashingOutputStream;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.RepositoryVerificationException;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.io.RootfsPaths;
import io.imagebuilder.rootfs.internal.deb.Posix;
import io.imagebuilder.rootfs.internal.repo.Keyring;
import io.imagebuilder.rootfs.internal.repo.ProgressListener;
import io.imagebuilder.rootfs.internal.repo.ReleaseFile;
import io.imagebuilder.rootfs.internal.repo.RepositoryClient;
import io.imagebuilder.rootfs.internal.repo.RepositoryException;
import io.imagebuilder.rootfs.internal.repo.RepositoryFetchException;
import io.imagebuilder.rootfs.internal.repo.RepositorySource;
import io.imagebuilder.rootfs.internal.repo.SignedRelease;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes apt's package lists ({@code /var/lib/apt/lists}) of an image natively, as {@code apt-get
 * update} inside it would, so no emulated apt, gpgv or xz has to run for them: for each source the
 * image's apt reads ({@link AptSourceList}), its InRelease (or Release and Release.gpg), verified
 * against that source's own key files in the image ({@code Signed-By}), and each Packages index apt
 * would fetch for it, uncompressed, checked against the SHA256 the verified Release lists, under
 * the names apt gives them ({@link AptListNames}). Index files come from the build's index cache
 * when the bootstrap or the sources stage already fetched them. An uncompressed index of a {@code
 * file:} archive is linked, not copied, as apt links it.
 *
 * <p>Which indexes: each component for the image's architectures (its native one and dpkg's foreign
 * ones, or those the source limits itself to) and {@code all} when the Release offers Packages for
 * it; an index the Release does not list, or lists as empty, is skipped, as apt skips it.
 * Translations are not written: installing reads none. Like apt, the writer removes other files
 * from the lists, and leaves {@code partial} 0700 and {@code auxfiles} 0755, both owned by {@code
 * _apt}. Files are staged in {@code partial} and moved into place when all are there.
 *
 * <p>A source that does not verify (a bad or missing signature, an index that does not match its
 * Release, an expired Release) is a {@link RepositoryVerificationException}: nothing unverified is
 * written. Whatever the writer does not do exactly as apt would (an apt setting or source form it
 * does not follow, a file it cannot fetch) is {@link Unsupported}, and {@code apt-get update} must
 * run.
 */
final class AptListsWriter {
  static final String LISTS = "/var/lib/apt/lists";

  /** apt's Acquire::Max-FutureTime: how far a Release's Date may be ahead of the clock. */
  private static final Duration MAX_FUTURE = Duration.ofSeconds(10);

  /** Compressions apt reads that the writer does not (it reads .xz, .gz and plain). */
  private static final List<String> OTHER_COMPRESSIONS = List.of(".bz2", ".lzma", ".lz4", ".zst");

  /**
   * apt settings that change what apt-get update fetches, where it keeps it, how it judges it or
   * what it runs: an image that sets any of them (read as words, so also nested or in comments) is
   * left to apt.
   */
  private static final Set<String> SETTINGS_LEFT_TO_APT =
      caseless(
          "Dir",
          "Architecture",
          "Architectures",
          "Update",
          "IndexTargets",
          "GzipIndexes",
          "CompressionTypes",
          "Check-Valid-Until",
          "Check-Date",
          "Max-ValidTime",
          "Min-ValidTime",
          "Max-FutureTime",
          "AllowInsecureRepositories",
          "AllowWeakRepositories",
          "AllowDowngradeToInsecureRepositories",
          "Sandbox",
          "Sources");

  /** Why the lists cannot be written natively exactly as apt would write them. */
  static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    Unsupported(String message) {
      super(message);
    }
  }

  /**
   * What was written.
   *
   * @param sources the archive suites
   * @param files the files now in the lists
   * @param bytes their total size
   */
  record Written(int sources, int files, long bytes) {
    @Override
    public String toString() {
      return sources
          + " source(s), "
          + files
          + " file(s), "
          + String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
  }

  private final Path root;
  private final String nativeArch;
  private final RepositoryClient client;
  private final Clock clock;

  /**
   * A writer for the image at {@code root} of architecture {@code nativeArch} (apt's
   * APT::Architecture), reading sources with {@code client}.
   */
  AptListsWriter(Path root, String nativeArch, RepositoryClient client, Clock clock) {
    this.root = root;
    this.nativeArch = nativeArch;
    this.client = client;
    this.clock = clock;
  }

  /**
   * Writes the lists.
   *
   * @throws Unsupported when apt-get update must write them instead; the lists are then as before
   *     (but for {@code partial} and {@code auxfiles})
   * @throws RepositoryVerificationException when a source does not verify; nothing of it is written
   */
  Written write(ProgressListener progress)
      throws Unsupported, ImageBuildException, InterruptedException {
    try {
      checkSettings();
      List<String> architectures = architectures();
      List<AptSourceList.Entry> entries = AptSourceList.read(root, nativeArch);
      if (entries.isEmpty()) {
        throw new Unsupported("the image has no apt sources");
      }
      Path lists = directory(LISTS, 0755, false);
      Path partial = directory(LISTS + "/partial", 0700, true);
      directory(LISTS + "/auxfiles", 0755, true);
      Map<String, Path> staged = new LinkedHashMap<>();
      try {
        for (AptSourceList.Entry entry : entries) {
          stage(entry, architectures, partial, staged, progress);
        }
        removeOthers(lists, staged.keySet());
        long bytes = 0;
        for (Map.Entry<String, Path> file : staged.entrySet()) {
          bytes += Files.isSymbolicLink(file.getValue()) ? 0 : Files.size(file.getValue());
          Files.move(
              file.getValue(),
              lists.resolve(file.getKey()),
              StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        }
        return new Written(entries.size(), staged.size(), bytes);
      } finally {
        for (Path p : staged.values()) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot write apt's lists in " + root + LISTS + ": " + e.getMessage(), e);
    }
  }

  /** Fetches, verifies and stages the Release and indexes of one archive suite. */
  private void stage(
      AptSourceList.Entry entry,
      List<String> architectures,
      Path partial,
      Map<String, Path> staged,
      ProgressListener progress)
      throws Unsupported, IOException, ImageBuildException, InterruptedException {
    RepositorySource source = source(entry);
    SignedRelease signed;
    try {
      signed = client.fetchRelease(source, progress);
    } catch (RepositoryFetchException e) {
      throw new Unsupported(e.getMessage());
    }
    ReleaseFile release = signed.release();
    if (release.sha256Entries().isEmpty()) {
      throw new Unsupported("the Release of " + entry.origin() + " lists no SHA256 hashes");
    }
    Instant date = release.date().orElse(null);
    if (date != null && date.isAfter(clock.instant().plus(MAX_FUTURE))) {
      throw new Unsupported(
          "the Release of " + entry.origin() + " is dated in the future (" + date + ")");
    }
    if (source.allowUnsigned() && signed.detachedSignature() != null) {
      throw new Unsupported(entry.origin() + " is trusted without a check but has a Release.gpg");
    }
    stageBytes(
        partial,
        staged,
        AptListNames.releaseUri(entry.uri(), entry.suite(), signed.fileName()),
        signed.bytes());
    if (signed.detachedSignature() != null) {
      stageBytes(
          partial,
          staged,
          AptListNames.releaseUri(entry.uri(), entry.suite(), "Release.gpg"),
          signed.detachedSignature());
    }
    boolean local = source.uri().getScheme().equalsIgnoreCase("file");
    for (String component : entry.components()) {
      for (String arch : indexArchitectures(entry, architectures, release)) {
        String metaKey = component + "/binary-" + arch + "/Packages";
        ReleaseFile.IndexEntry plain = release.entry(metaKey).orElse(null);
        if (plain == null) {
          if (release.download(metaKey).isPresent()) {
            throw new Unsupported(
                "the Release of " + entry.origin() + " lists " + metaKey + " only compressed");
          }
          continue; // apt skips what the Release does not list
        }
        if (plain.size() == 0) {
          continue; // and fetches no empty index
        }
        ReleaseFile.IndexEntry download = release.download(metaKey).orElseThrow();
        String uri = AptListNames.indexUri(entry.uri(), entry.suite(), metaKey);
        Path file = partial.resolve(AptListNames.fileName(uri));
        if (local && download.equals(plain)) {
          stageLocalIndex(entry, metaKey, release, plain, file, staged);
          continue;
        }
        byte[] fetched;
        try {
          fetched = client.fetchIndex(source, release, download, progress);
        } catch (RepositoryFetchException e) {
          throw new Unsupported(e.getMessage());
        }
        staged.put(file.getFileName().toString(), file);
        writePlain(file, download.path(), fetched, plain, entry.origin());
      }
    }
  }

  /**
   * An index of a file: archive that apt would fetch uncompressed: apt links it into its lists
   * instead of copying it, so the writer does too, once the file in the archive matches the
   * Release. When the Release lists a compression apt reads and the writer does not, apt would
   * fetch that instead and copy its contents.
   */
  private void stageLocalIndex(
      AptSourceList.Entry entry,
      String metaKey,
      ReleaseFile release,
      ReleaseFile.IndexEntry plain,
      Path link,
      Map<String, Path> staged)
      throws Unsupported, IOException, RepositoryVerificationException {
    for (String other : OTHER_COMPRESSIONS) {
      if (release.entry(metaKey + other).isPresent()) {
        throw new Unsupported("the Release of " + entry.origin() + " lists " + metaKey + other);
      }
    }
    String target =
        AptListNames.parse(entry.uri()).path() + "dists/" + entry.suite() + "/" + metaKey;
    Path file = RootfsPaths.resolveFollowing(root, target);
    if (!Files.isRegularFile(file)) {
      throw new Unsupported(target + " of " + entry.origin() + " is not in the image");
    }
    String actual = Sha256.ofFile(file);
    if (Files.size(file) != plain.size() || !actual.equals(plain.sha256())) {
      throw new RepositoryVerificationException(
          target,
          RepositoryVerificationException.Reason.HASH_MISMATCH,
          "index "
              + target
              + " of "
              + entry.origin()
              + differsFromRelease(Files.size(file), actual, plain));
    }
    staged.put(link.getFileName().toString(), link);
    Files.createSymbolicLink(link, Path.of(target));
  }

  /** The source to read for an entry: its keys from the image, a file: archive inside the image. */
  private RepositorySource source(AptSourceList.Entry entry) throws Unsupported, IOException {
    URI uri;
    try {
      uri = new URI(entry.uri());
    } catch (java.net.URISyntaxException e) {
      throw new Unsupported(
          entry.origin()
              + " has URI '"
              + entry.uri()
              + "', which Java does not read: "
              + e.getMessage());
    }
    if (uri.getScheme().equalsIgnoreCase("file")) {
      Path dir = RootfsPaths.resolveFollowing(root, AptListNames.parse(entry.uri()).path());
      uri = dir.toUri();
    }
    Keyring keyring = entry.trusted() ? null : keyring(entry);
    try {
      return new RepositorySource(
          entry.origin(),
          uri,
          entry.suite(),
          entry.components(),
          nativeArch,
          keyring,
          keyring == null,
          !entry.checkValidUntil());
    } catch (IllegalArgumentException e) {
      throw new Unsupported(e.getMessage());
    }
  }

  /** The keys of an entry's Signed-By, read inside the image. */
  private Keyring keyring(AptSourceList.Entry entry) throws Unsupported, IOException {
    List<Keyring> keys = new ArrayList<>();
    try {
      if (entry.inlineKey() != null) {
        keys.add(
            Keyring.fromBytes(
                "the key in " + entry.origin(),
                entry.inlineKey().getBytes(StandardCharsets.US_ASCII)));
      }
      for (String file : entry.keyFiles()) {
        Path p = RootfsPaths.resolveFollowing(root, file);
        if (!Files.isRegularFile(p)) {
          throw new Unsupported(
              "the key file " + file + " of " + entry.origin() + " is not in the image");
        }
        keys.add(Keyring.fromBytes(file, Files.readAllBytes(p)));
      }
    } catch (IllegalArgumentException e) {
      throw new Unsupported(e.getMessage());
    }
    return keys.size() == 1
        ? keys.get(0)
        : Keyring.union(String.join(", ", entry.keyFiles()), keys);
  }

  /**
   * The architectures apt fetches Packages of for an entry: the entry's own or the image's, then
   * {@code all} when the Release lists it and does not say it has no Packages for it.
   */
  private static List<String> indexArchitectures(
      AptSourceList.Entry entry, List<String> image, ReleaseFile release) {
    List<String> out =
        new ArrayList<>(entry.architectures().isEmpty() ? image : entry.architectures());
    List<String> offered = release.architectures();
    List<String> noAll =
        Arrays.asList(
            release.stanza().find("No-Support-for-Architecture-all").orElse("").split("\\s+"));
    if ((offered.isEmpty() || offered.contains("all")) && !noAll.contains("Packages")) {
      out.add("all");
    }
    return out;
  }

  /** The image's architectures: the native one, then dpkg's foreign ones. */
  private List<String> architectures() throws IOException {
    List<String> out = new ArrayList<>(List.of(nativeArch));
    Path dpkgArch = RootfsPaths.resolveFollowing(root, "/var/lib/dpkg/arch");
    if (Files.isRegularFile(dpkgArch)) {
      for (String line : Files.readAllLines(dpkgArch, StandardCharsets.UTF_8)) {
        String arch = line.strip();
        if (!arch.isEmpty() && !out.contains(arch)) {
          out.add(arch);
        }
      }
    }
    return out;
  }

  /** Fails when the image's apt configuration sets anything this writer does not follow. */
  private void checkSettings() throws Unsupported, IOException {
    List<String> files = new ArrayList<>(List.of("/etc/apt/apt.conf"));
    Path parts = RootfsPaths.resolveFollowing(root, "/etc/apt/apt.conf.d");
    if (Files.isDirectory(parts)) {
      try (DirectoryStream<Path> dir = Files.newDirectoryStream(parts)) {
        for (Path f : dir) {
          files.add("/etc/apt/apt.conf.d/" + f.getFileName());
        }
      }
    }
    for (String file : files) {
      Path p = RootfsPaths.resolveFollowing(root, file);
      if (!Files.isRegularFile(p)) {
        continue;
      }
      for (String word :
          Files.readString(p, StandardCharsets.ISO_8859_1).split("[^A-Za-z0-9_-]+")) {
        if (SETTINGS_LEFT_TO_APT.contains(word.toLowerCase(Locale.ROOT))) {
          throw new Unsupported(file + " has an apt setting with '" + word + "'");
        }
      }
    }
  }

  /**
   * A directory of the lists, created when missing; apt's own ({@code partial}, {@code auxfiles})
   * get its mode and, as apt gives them when it runs as root, the owner {@code _apt:root}.
   */
  private Path directory(String imagePath, int mode, boolean aptsOwn) throws IOException {
    Path dir = RootfsPaths.resolve(root, imagePath);
    if (Files.isSymbolicLink(dir)) {
      throw new IOException(imagePath + " is a symlink");
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir);
      Posix.chmod(dir, mode);
    }
    if (aptsOwn) {
      if (Posix.isRoot()) {
        int uid = aptUid();
        if (uid >= 0) {
          Posix.lchown(dir, uid, 0);
        }
      }
      Posix.chmod(dir, mode);
    }
    return dir;
  }

  /** The uid of apt's sandbox user {@code _apt} in the image, or -1 when it has none. */
  private int aptUid() throws IOException {
    Path passwd = RootfsPaths.resolveFollowing(root, "/etc/passwd");
    if (!Files.isRegularFile(passwd)) {
      return -1;
    }
    for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
      String[] f = line.split(":", -1);
      if (f.length > 2 && f[0].equals("_apt") && f[2].matches("[0-9]{1,9}")) {
        return Integer.parseInt(f[2]);
      }
    }
    return -1;
  }

  /** Deletes the files of the lists that are not to be written now, as apt-get update does. */
  private static void removeOthers(Path lists, Set<String> keep) throws IOException {
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(lists)) {
      for (Path p : dir) {
        String name = p.getFileName().toString();
        if (name.equals("lock")
            || keep.contains(name)
            || Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        Files.delete(p);
      }
    }
  }

  private static void stageBytes(Path partial, Map<String, Path> staged, String uri, byte[] bytes)
      throws IOException {
    Path file = partial.resolve(AptListNames.fileName(uri));
    staged.put(file.getFileName().toString(), file);
    Files.write(file, bytes);
    Files.setPosixFilePermissions(file, RootfsFiles.permissions(0644));
  }

  /**
   * Writes the plain index {@code fetched} (named {@code path}, so compressed as it says) holds,
   * checking it against the Release's entry for the plain file.
   */
  private static void writePlain(
      Path file, String path, byte[] fetched, ReleaseFile.IndexEntry plain, String origin)
      throws IOException, RepositoryException, RepositoryVerificationException {
    long size;
    String actual;
    try (InputStream in = RepositoryClient.decompress(path, new ByteArrayInputStream(fetched));
        HashingOutputStream out = Sha256.hashing(Files.newOutputStream(file))) {
      size = in.transferTo(out);
      actual = out.hash().toString();
    } catch (IOException e) {
      throw new RepositoryException(
          "index " + path + " of " + origin + " does not decompress: " + e.getMessage(), e);
    }
    Files.setPosixFilePermissions(file, RootfsFiles.permissions(0644));
    if (size != plain.size() || !actual.equals(plain.sha256())) {
      throw new RepositoryVerificationException(
          path,
          RepositoryVerificationException.Reason.HASH_MISMATCH,
          "index "
              + plain.path()
              + " of "
              + origin
              + " (from "
              + path
              + ")"
              + differsFromRelease(size, actual, plain));
    }
  }

  /**
   * How an index differs from its Release entry: " has N bytes and SHA256 ..., the Release ...".
   */
  private static String differsFromRelease(long size, String sha256, ReleaseFile.IndexEntry plain) {
    return " has "
        + size
        + " bytes and SHA256 "
        + sha256
        + ", the Release says "
        + plain.size()
        + " bytes and "
        + plain.sha256();
  }

  private static Set<String> caseless(String... names) {
    return Set.copyOf(Arrays.stream(names).map(n -> n.toLowerCase(Locale.ROOT)).toList());
  }
}
