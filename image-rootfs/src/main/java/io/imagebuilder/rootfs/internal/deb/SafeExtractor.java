package io.imagebuilder.rootfs.internal.deb;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.UnsafePackageException;
import io.imagebuilder.internal.concurrent.TaskPool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Unpacks a package's data.tar into a rootfs the way dpkg does, but natively and defensively.
 *
 * <p>Every entry first passes {@link DebCheck} (the archive's shape: no absolute names, {@code ..},
 * devices, FIFOs, escaping symlinks or stray hard links; a package's control archive too), then is
 * resolved with chroot semantics: symlinks already in the rootfs are followed as if the rootfs were
 * {@code /} (absolute targets start at the rootfs, so a merged-/usr {@code /bin -> usr/bin} made
 * before works), and a resolution that leaves the rootfs or goes through a symlink this package
 * created is rejected too. Each refusal is an {@link UnsafePackageException} naming the package and
 * the entry. Checks happen before each entry is written, so nothing outside the rootfs is ever
 * touched; entries before the rejected one stay in the rootfs, which the failed build discards.
 *
 * <p>dpkg semantics kept: numeric owners (when running as root), all mode bits, symlink targets
 * verbatim, hard links as hard links, archive mtimes. A directory entry keeps an existing
 * directory, or symlink to one, untouched. Regular files, symlinks and hard links replace an
 * existing file by rename from a temporary name in the same directory, so a running binary is never
 * truncated. Conffiles are unpacked as {@code <name>.dpkg-new}, as dpkg unpacks them, for {@code
 * dpkg --configure} to move into place (and, {@link #withConffilesInPlace}, under their own names
 * too).
 */
public final class SafeExtractor {
  private static final int BUFFER = 256 * 1024;

  /** The most of one package's data.tar decoded ahead in memory; bigger ones are streamed. */
  static final int MAX_DECODED_AHEAD = 64 << 20;

  private static final int MAX_SYMLINKS = 40;
  private static final String TEMP_SUFFIX = ".ib-new";

  private static final java.util.function.Predicate<String> EVERY_ENTRY = listed -> true;

  private final boolean preserveOwners;

  /** Whether conffiles also land under their own names (see {@link #withConffilesInPlace}). */
  private boolean conffilesInPlace;

  /** Sets (or, in a rootless build, records) the archive's owners; null: lchown directly. */
  private final Ownership ownership;

  private int maxDecodedAhead = MAX_DECODED_AHEAD;

  /** An extractor that keeps the archive's numeric owners if running as root. */
  public SafeExtractor() {
    this(Posix.isRoot());
  }

  /**
   * @param preserveOwners set the archive's numeric owners (needs root); when false, files belong
   *     to the current user
   */
  public SafeExtractor(boolean preserveOwners) {
    this.preserveOwners = preserveOwners;
    this.ownership = null;
  }

  /**
   * An extractor that keeps the archive's numeric owners through {@code ownership}: at once as
   * root, recorded for {@link Ownership#applyPending} in a rootless build.
   */
  public SafeExtractor(Ownership ownership) {
    this.preserveOwners = true;
    this.ownership = ownership;
  }

  /**
   * Also unpacks each conffile under its own name, beside the {@code .dpkg-new} copy that {@code
   * dpkg --configure} moves into place: the state mmdebstrap and debootstrap leave (they extract
   * every essential package before dpkg unpacks it again), in which a postinst finds the other
   * packages' configuration already there whatever order dpkg configures them in (passwd's pwconv
   * reads login's {@code /etc/login.defs}).
   */
  public SafeExtractor withConffilesInPlace() {
    this.conffilesInPlace = true;
    return this;
  }

  /** For tests: packages whose data.tar is bigger than {@code bytes} are streamed. */
  SafeExtractor decodingAheadAtMost(int bytes) {
    this.maxDecodedAhead = bytes;
    return this;
  }

  /**
   * Extracts {@code deb}'s data.tar into {@code rootfs}.
   *
   * @param packageName the name used in errors (and for nothing else)
   * @return every path the package installed, in archive order, as dpkg lists them in {@code
   *     <pkg>.list}: {@code /.} for the root, then e.g. {@code /usr}, {@code /usr/bin/foo}
   * @throws UnsafePackageException if an entry is unsafe; the message names package and entry
   * @throws ImageBuildException if the archive cannot be read or a file cannot be written
   */
  public List<String> extract(DebFile deb, Path rootfs, String packageName)
      throws ImageBuildException {
    try {
      return extract(deb, deb.openData(), rootfs, packageName);
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot read package '" + packageName + "' (" + deb.path() + "): " + e, e);
    }
  }

  /** Receives each package once it is unpacked, in order (e.g. to record it with DpkgDatabase). */
  @FunctionalInterface
  public interface UnpackListener {
    void unpacked(DebFile deb, List<String> installed) throws ImageBuildException;
  }

  /**
   * Extracts {@code debs} in order, like {@link #extract} for each, while up to {@code decoders}
   * threads decompress the following packages' data.tar into memory ahead of time: xz decoding
   * dominates the cost, and this spreads it over the cores. Package names in errors are each
   * package's {@code Package} field.
   */
  public void extractAll(List<DebFile> debs, Path rootfs, int decoders, UnpackListener listener)
      throws ImageBuildException {
    if (decoders < 1) {
      throw new IllegalArgumentException("invalid decoders " + decoders + " (expected >= 1)");
    }
    try (TaskPool pool = TaskPool.of("deb-decoder", decoders, java.time.Duration.ofMinutes(1))) {
      List<java.util.concurrent.Future<byte[]>> decoded = new ArrayList<>();
      int ahead = decoders + 1;
      for (int i = 0; i < debs.size(); i++) {
        while (decoded.size() < debs.size() && decoded.size() <= i + ahead) {
          DebFile next = debs.get(decoded.size());
          decoded.add(
              pool.submit(
                  () -> {
                    try (InputStream in = next.openDataStream()) {
                      byte[] head = in.readNBytes(maxDecodedAhead + 1);
                      // A huge package is streamed by the unpacking thread instead of held in
                      // memory.
                      return head.length > maxDecodedAhead ? null : head;
                    }
                  }));
        }
        DebFile deb = debs.get(i);
        byte[] tar;
        try {
          tar = decoded.get(i).get();
          decoded.set(i, null); // let the bytes go once used
        } catch (java.util.concurrent.ExecutionException e) {
          throw new ImageBuildException(
              "cannot read package '"
                  + deb.packageName()
                  + "' ("
                  + deb.path()
                  + "): "
                  + e.getCause(),
              e.getCause());
        }
        TarArchiveInputStream in;
        try {
          in =
              tar != null
                  ? new TarArchiveInputStream(new java.io.ByteArrayInputStream(tar), "UTF-8")
                  : deb.openData();
        } catch (IOException e) {
          throw new ImageBuildException(
              "cannot read package '" + deb.packageName() + "' (" + deb.path() + "): " + e, e);
        }
        listener.unpacked(deb, extract(deb, in, rootfs, deb.packageName()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.imagebuilder.api.error.BuildCancelledException("unpacking interrupted", e);
    }
  }

  private List<String> extract(
      DebFile deb, TarArchiveInputStream data, Path rootfs, String packageName)
      throws ImageBuildException {
    DebCheck.checkControl(deb);
    return extract(
        data,
        rootfs,
        DebCheck.dataEntries(packageName, deb.version(), deb.path().toString()),
        deb.conffiles(),
        "package '" + packageName + "' (" + deb.path() + ")",
        UnpackLimits.NONE,
        EVERY_ENTRY,
        true);
  }

  /**
   * Extracts only the directory {@code dir} of {@code deb} (a path as dpkg lists it, e.g. {@code
   * /lib/modules}) and what is below it, as dpkg would unpack them, for a {@code dpkg
   * --path-exclude} of what is below: files get their archive times, directories keep the time
   * creating and filling them gave, as dpkg leaves its directories. Every entry is still checked.
   */
  public void extractDirectory(DebFile deb, Path rootfs, String dir) throws ImageBuildException {
    String below = dir + "/";
    try {
      extract(
          deb.openData(),
          rootfs,
          DebCheck.dataEntries(deb),
          deb.conffiles(),
          "package '" + deb.packageName() + "' (" + deb.path() + ")",
          UnpackLimits.NONE,
          listed -> listed.equals(dir) || listed.startsWith(below),
          false);
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot read package '" + deb.packageName() + "' (" + deb.path() + "): " + e, e);
    }
  }

  /**
   * Extracts a whole tree from a tar stream (e.g. a rootfs tarball written by RootfsTarball) with
   * the same checks as a package: nothing lands outside {@code rootfs}, device nodes and FIFOs are
   * rejected. {@code label} names the archive in errors. Closes {@code tar}.
   */
  public void extractTree(java.io.InputStream tar, Path rootfs, String label)
      throws ImageBuildException {
    extractTree(tar, rootfs, label, UnpackLimits.NONE);
  }

  /**
   * {@link #extractTree(java.io.InputStream, Path, String)} of an archive from outside, failing as
   * soon as it passes one of {@code limits}, with {@code label} and the cap in the message.
   */
  public void extractTree(java.io.InputStream tar, Path rootfs, String label, UnpackLimits limits)
      throws ImageBuildException {
    extract(
        new TarArchiveInputStream(tar, BUFFER, 512, "UTF-8"),
        rootfs,
        DebCheck.dataEntries(label, "", ""),
        List.of(),
        label,
        limits,
        EVERY_ENTRY,
        true);
  }

  /**
   * @param wanted which entries (by their listed path) are written; the others are only checked
   * @param archiveDirectoryTimes whether created directories get the archive's mtime at the end
   */
  private List<String> extract(
      TarArchiveInputStream data,
      Path rootfs,
      DebCheck.DataEntries check,
      List<String> conffiles,
      String what,
      UnpackLimits limits,
      java.util.function.Predicate<String> wanted,
      boolean archiveDirectoryTimes)
      throws ImageBuildException {
    UnpackLimits.Budget budget = limits.budget(what);
    Run run;
    try {
      run = new Run(rootfs.toRealPath(), check, conffiles, wanted, archiveDirectoryTimes);
    } catch (IOException e) {
      try {
        data.close();
      } catch (IOException ignored) {
        // already failing
      }
      throw new ImageBuildException("rootfs " + rootfs + " is not usable: " + e, e);
    }
    String current = "";
    try (TarArchiveInputStream tar = data) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        current = e.getName();
        budget.add(e);
        run.entry(e, tar);
      }
      run.finish();
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot unpack "
              + what
              + (current.isEmpty() ? "" : " at entry '" + current + "'")
              + ": "
              + e,
          e);
    }
    return run.installed;
  }

  /** The state of one package's extraction. */
  private final class Run {
    private final Path root;
    private final DebCheck.DataEntries check;
    private final Set<String> conffiles;
    private final List<String> installed = new ArrayList<>();

    /** Rootfs-relative real paths of symlinks this package created. */
    private final Set<String> ownSymlinks = new HashSet<>();

    /** Rootfs-relative real paths of symlinks followed so far (to know when caches go stale). */
    private final Set<String> followedSymlinks = new HashSet<>();

    /** Entry directory (normalised name) to the real directory it resolved to. */
    private final Map<String, Path> dirCache = new HashMap<>();

    /** Entry name of each regular file extracted, to its real path (targets for hard links). */
    private final Map<String, Path> files = new HashMap<>();

    /** Directories created, with their mtimes, set at the end (children change them). */
    private final List<Map.Entry<Path, Long>> createdDirs = new ArrayList<>();

    private final byte[] buffer = new byte[BUFFER];
    private final boolean chownNeeded;

    private final java.util.function.Predicate<String> wanted;
    private final boolean archiveDirectoryTimes;

    Run(
        Path root,
        DebCheck.DataEntries check,
        List<String> conffiles,
        java.util.function.Predicate<String> wanted,
        boolean archiveDirectoryTimes) {
      this.root = root;
      this.check = check;
      this.conffiles = new HashSet<>(conffiles);
      this.chownNeeded = preserveOwners;
      this.wanted = wanted;
      this.archiveDirectoryTimes = archiveDirectoryTimes;
    }

    void entry(TarArchiveEntry e, TarArchiveInputStream tar)
        throws IOException, UnsafePackageException {
      String raw = e.getName();
      List<String> parts = check.check(e);
      String name = String.join("/", parts);
      if (parts.isEmpty()) {
        installed.add("/.");
        return;
      }
      String listed = "/" + name;
      if (!wanted.test(listed)) {
        return;
      }
      Path parent = resolveDirectory(parts.subList(0, parts.size() - 1), raw);
      Path target = parent.resolve(parts.get(parts.size() - 1));
      if (e.isDirectory()) {
        directory(e, target, raw);
      } else if (e.isSymbolicLink()) {
        symlink(e, target, raw);
      } else if (e.isLink()) {
        hardLink(e, target, raw);
      } else if (isRegular(e)) {
        if (conffiles.contains(listed)) {
          Path distributed = parent.resolve(parts.get(parts.size() - 1) + ".dpkg-new");
          regular(e, tar, distributed, raw);
          if (conffilesInPlace) {
            copyRegular(e, distributed, target);
          }
          target = distributed;
        } else {
          regular(e, tar, target, raw);
        }
        files.put(name, target);
      } else {
        throw reject(raw, "has unsupported tar type '" + (char) e.getLinkFlag() + "'");
      }
      installed.add(listed);
    }

    void finish() throws IOException {
      // Deepest first is not needed: setting a directory's mtime does not change its parent's.
      if (!archiveDirectoryTimes) {
        return;
      }
      for (Map.Entry<Path, Long> d : createdDirs) {
        Posix.setMtime(d.getKey(), d.getValue(), false);
      }
    }

    /** Splits a name {@link DebCheck} has let through (relative, no {@code ..}) into components. */
    private List<String> normalise(String raw) {
      List<String> parts = new ArrayList<>();
      for (String p : raw.split("/")) {
        if (!p.isEmpty() && !p.equals(".")) {
          parts.add(p);
        }
      }
      return parts;
    }

    /** Resolves (creating if missing) the directory holding an entry, inside the rootfs. */
    private Path resolveDirectory(List<String> dirParts, String raw)
        throws IOException, UnsafePackageException {
      String key = String.join("/", dirParts);
      Path cached = dirCache.get(key);
      if (cached != null) {
        return cached;
      }
      Path resolved = walk(dirParts, raw, true);
      dirCache.put(key, resolved);
      return resolved;
    }

    /**
     * Follows {@code parts} from the rootfs like a path lookup inside a chroot, following every
     * symlink met. Returns the real path; rejects escapes and this package's own symlinks.
     */
    private Path walk(List<String> parts, String raw, boolean createMissing)
        throws IOException, UnsafePackageException {
      Deque<String> pending = new ArrayDeque<>(parts);
      List<String> real = new ArrayList<>();
      int links = 0;
      while (!pending.isEmpty()) {
        String c = pending.pollFirst();
        if (c.isEmpty() || c.equals(".")) {
          continue;
        }
        if (c.equals("..")) {
          if (real.isEmpty()) {
            throw reject(raw, "resolves outside the rootfs (a symlink climbs above /)");
          }
          real.remove(real.size() - 1);
          continue;
        }
        real.add(c);
        String rel = String.join("/", real);
        Path p = root.resolve(rel);
        BasicFileAttributes a = lstat(p);
        if (a == null) {
          if (!createMissing) {
            return root.resolve(rel);
          }
          // dpkg-deb archives list every directory first; be lenient like tar if one is missing.
          Files.createDirectory(p);
          continue;
        }
        if (a.isDirectory()) {
          continue;
        }
        if (!a.isSymbolicLink()) {
          throw new IOException("'/" + rel + "' is not a directory");
        }
        if (ownSymlinks.contains(rel)) {
          throw reject(raw, "goes through the symlink '/" + rel + "' the same package created");
        }
        if (++links > MAX_SYMLINKS) {
          throw reject(raw, "resolves through too many symlinks (a loop?)");
        }
        followedSymlinks.add(rel);
        String link = Files.readSymbolicLink(p).toString();
        real.remove(real.size() - 1);
        if (link.startsWith("/")) {
          real.clear();
        }
        String[] linkParts = link.split("/");
        for (int i = linkParts.length - 1; i >= 0; i--) {
          pending.addFirst(linkParts[i]);
        }
      }
      return real.isEmpty() ? root : root.resolve(String.join("/", real));
    }

    private void directory(TarArchiveEntry e, Path target, String raw)
        throws IOException, UnsafePackageException {
      BasicFileAttributes a = lstat(target);
      if (a != null) {
        if (a.isDirectory()) {
          return; // dpkg keeps an existing directory as it is
        }
        if (a.isSymbolicLink()) {
          Path resolved = walk(List.of(rel(target).split("/")), raw, false);
          BasicFileAttributes r = lstat(resolved);
          if (r != null && r.isDirectory()) {
            return; // e.g. merged-/usr: /bin -> usr/bin stays a symlink
          }
        }
        throw new IOException("cannot replace '/" + rel(target) + "' with a directory");
      }
      Files.createDirectory(target);
      int mode = e.getMode() & 07777;
      setOwner(target, e, mode, false);
      if ((mode & ~0777) != 0 || (0777 & ~Posix.umask()) != (mode & 0777) || chownNeeded(e)) {
        Posix.chmod(target, mode);
      }
      createdDirs.add(Map.entry(target, mtime(e)));
    }

    private void symlink(TarArchiveEntry e, Path target, String raw)
        throws IOException, UnsafePackageException {
      Path made =
          createOrReplace(target, tmp -> Files.createSymbolicLink(tmp, Path.of(e.getLinkName())));
      setOwner(made, e, 0777, true);
      Posix.setMtime(made, mtime(e), true);
      ownSymlinks.add(rel(target));
    }

    private void hardLink(TarArchiveEntry e, Path target, String raw)
        throws IOException, UnsafePackageException {
      String linkName = e.getLinkName();
      Path existing = files.get(String.join("/", normalise(linkName)));
      if (existing == null) {
        throw reject(
            raw, "is a hard link to '" + linkName + "', which the package has not extracted");
      }
      createOrReplace(target, tmp -> Files.createLink(tmp, existing));
      files.put(String.join("/", normalise(e.getName())), target);
    }

    private void regular(TarArchiveEntry e, TarArchiveInputStream tar, Path target, String raw)
        throws IOException {
      int mode = e.getMode() & 07777;
      FileAttribute<Set<PosixFilePermission>> perms =
          PosixFilePermissions.asFileAttribute(permissions(mode & 0777));
      Path made =
          createOrReplace(
              target,
              tmp -> {
                try (SeekableByteChannel out =
                    Files.newByteChannel(
                        tmp,
                        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        perms)) {
                  int n;
                  while ((n = tar.read(buffer)) > 0) {
                    ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
                    while (b.hasRemaining()) {
                      out.write(b);
                    }
                  }
                }
              });
      setAttributes(made, e, mode);
    }

    /** A copy of the regular file {@code from} (made from entry {@code e}) at {@code target}. */
    private void copyRegular(TarArchiveEntry e, Path from, Path target) throws IOException {
      int mode = e.getMode() & 07777;
      Path made = createOrReplace(target, tmp -> Files.copy(from, tmp));
      Posix.chmod(made, mode);
      setAttributes(made, e, mode);
    }

    /** The entry's owner, mode and mtime on the file {@code made}. */
    private void setAttributes(Path made, TarArchiveEntry e, int mode) throws IOException {
      boolean chowned = chownNeeded(e);
      setOwner(made, e, mode, false);
      // chown clears setuid/setgid; the umask may have cleared permission bits at creation.
      if (chowned || (mode & ~0777) != 0 || (mode & 0777 & Posix.umask()) != 0) {
        Posix.chmod(made, mode);
      }
      Posix.setMtime(made, mtime(e), false);
    }

    /**
     * Creates {@code target} with {@code maker}; if something is there already, makes it under a
     * temporary name in the same directory and renames it over the old one.
     */
    private Path createOrReplace(Path target, Maker maker) throws IOException {
      try {
        maker.make(target);
        return target;
      } catch (FileAlreadyExistsException exists) {
        BasicFileAttributes a = lstat(target);
        if (a != null && (a.isDirectory() || followedSymlinks.contains(rel(target)))) {
          dirCache.clear(); // resolutions through what we replace are stale
        }
        if (a != null && a.isDirectory()) {
          try {
            Files.delete(target); // dpkg replaces an empty directory, never a full one
          } catch (DirectoryNotEmptyException full) {
            throw new IOException(
                "cannot replace the non-empty directory '/" + rel(target) + "'", full);
          }
          maker.make(target);
          return target;
        }
      }
      Path tmp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
      Files.deleteIfExists(tmp);
      try {
        maker.make(tmp);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return target;
    }

    private boolean chownNeeded(TarArchiveEntry e) {
      // Files we create as root are already 0:0; skip the syscall for the common case.
      return chownNeeded && (e.getLongUserId() != 0 || e.getLongGroupId() != 0);
    }

    private void setOwner(Path p, TarArchiveEntry e, int mode, boolean symlink) throws IOException {
      if (!chownNeeded(e)) {
        return;
      }
      if (ownership != null) {
        ownership.set(p, (int) e.getLongUserId(), (int) e.getLongGroupId(), mode, symlink);
      } else {
        Posix.lchown(p, (int) e.getLongUserId(), (int) e.getLongGroupId());
      }
    }

    private String rel(Path p) {
      return root.relativize(p).toString();
    }

    private UnsafePackageException reject(String entry, String reason) {
      return check.reject(entry, reason);
    }
  }

  @FunctionalInterface
  private interface Maker {
    void make(Path path) throws IOException;
  }

  private static boolean isRegular(TarArchiveEntry e) {
    byte flag = e.getLinkFlag();
    return flag == TarConstants.LF_NORMAL
        || flag == TarConstants.LF_OLDNORM
        || flag == TarConstants.LF_CONTIG;
  }

  private static long mtime(TarArchiveEntry e) {
    return e.getLastModifiedTime().toMillis() / 1000;
  }

  private static BasicFileAttributes lstat(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_EXECUTE
    };
    for (int i = 0; i < 9; i++) {
      if ((mode & (0400 >> i)) != 0) {
        set.add(order[i]);
      }
    }
    return set;
  }
}
