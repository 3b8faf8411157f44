package io.imagebuilder.rootfs.internal.deb;

import com.google.common.hash.HashingOutputStream;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Repacked copies ({@link DebRepacker}) of the package cache's .debs, kept beside their originals,
 * so that a package is decompressed once per cache rather than once per install: the bootstrap's
 * prefetch makes them for the later stages while it configures, and each later install of the same
 * .deb copies one (a kernel's 7.8 s repack becomes a copy and a listing of well under a second).
 *
 * <p>The copy of the cache entry {@code <sha256>} is {@code <sha256>.repack1-zst.deb} (or {@code
 * -tar.deb} for a dpkg without zstd), and its own SHA-256 is in {@code
 * <sha256>.repack1-zst.sha256}, written before it. The cache's eviction takes both with the
 * original (the same name before the first dot). The repack is deterministic, so two writers of one
 * copy write the same bytes, each through {@link AtomicFiles}. A copy is verified against its
 * SHA-256 each time it is used and made anew when it differs, as the package cache does with its
 * .debs. When {@link DebRepacker}'s output changes, {@link #FORMAT} gets a new name, so older
 * copies are never used (and age out).
 */
public final class RepackedDebs {
  /** The name of the repacked layout: a new one for any change to what DebRepacker writes. */
  static final String FORMAT = "repack1";

  private final Path dir;

  /**
   * @param packagesDir the package cache's directory (its entries are named by their SHA-256)
   */
  public RepackedDebs(Path packagesDir) {
    this.dir = packagesDir;
  }

  /**
   * Writes the repacked copy of {@code original} to {@code target}: the kept one when there and
   * intact, else a new one, which is kept. Each data entry passes {@code check} either way.
   *
   * @param original an entry of the package cache (or any .deb: one not named by its SHA-256 is
   *     repacked and not kept)
   * @param zstd whether the data goes in as zstd (see {@link DebRepacker#repack})
   * @return the data entries in archive order
   * @throws UnsafePackageException if {@code check} refuses an entry
   */
  public List<DebRepacker.Listed> copyTo(
      Path original, boolean zstd, Path target, DebCheck.DataEntries check)
      throws IOException, ImageBuildException {
    Optional<Path> kept = keptCopy(original, zstd);
    if (kept.isEmpty()) {
      return DebRepacker.repack(original, target, zstd, check);
    }
    if (copyVerified(kept.get(), target)) {
      return DebRepacker.list(DebFile.open(target), check);
    }
    List<DebRepacker.Listed> listing = DebRepacker.repack(original, target, zstd, check);
    keep(
        kept.get(),
        temporary -> Files.copy(target, temporary, StandardCopyOption.REPLACE_EXISTING));
    return listing;
  }

  /**
   * Makes and keeps the repacked copy of {@code original} unless one is kept already (a head start
   * for a later install; the install verifies it).
   *
   * @throws UnsafePackageException if an entry is refused: nothing is kept
   */
  public void prepare(Path original, boolean zstd) throws IOException, ImageBuildException {
    Optional<Path> kept = keptCopy(original, zstd);
    if (kept.isEmpty() || Files.isRegularFile(kept.get(), LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    DebCheck.DataEntries check = DebCheck.dataEntries(DebFile.open(original));
    keep(kept.get(), temporary -> DebRepacker.repack(original, temporary, zstd, check));
  }

  /** Where the copy of {@code original} is kept; empty when it is not a package cache entry. */
  private Optional<Path> keptCopy(Path original, boolean zstd) {
    String name = original.getFileName().toString();
    if (!Sha256.isHex(name)
        || !original.toAbsolutePath().getParent().equals(dir.toAbsolutePath())) {
      return Optional.empty();
    }
    return Optional.of(dir.resolve(name + "." + FORMAT + (zstd ? "-zst" : "-tar") + ".deb"));
  }

  private static Path shaFile(Path kept) {
    String name = kept.getFileName().toString();
    return kept.resolveSibling(name.substring(0, name.length() - ".deb".length()) + ".sha256");
  }

  /**
   * Copies the kept file to {@code target}, hashing it on the way; false (and neither left) when it
   * is missing or does not match its SHA-256.
   */
  private static boolean copyVerified(Path kept, Path target) throws IOException {
    String expected;
    String actual;
    try {
      expected = Files.readString(shaFile(kept), StandardCharsets.US_ASCII).trim();
      try (InputStream in = Files.newInputStream(kept);
          HashingOutputStream out = Sha256.hashing(Files.newOutputStream(target))) {
        in.transferTo(out);
        actual = out.hash().toString();
      }
    } catch (NoSuchFileException e) {
      Files.deleteIfExists(target);
      return false;
    }
    if (!actual.equals(expected)) {
      Files.delete(target);
      Files.deleteIfExists(kept);
      return false;
    }
    return true;
  }

  /** A step that fills the temporary file of a kept copy. */
  private interface Fill {
    void into(Path temporary) throws IOException, ImageBuildException;
  }

  /** Writes a kept copy through {@code fill}: its SHA-256 first, then the copy itself. */
  private static void keep(Path kept, Fill fill) throws IOException, ImageBuildException {
    AtomicFiles.<ImageBuildException>fill(
        kept,
        temporary -> {
          fill.into(temporary);
          AtomicFiles.writeString(shaFile(kept), Sha256.ofFile(temporary) + "\n");
        });
  }

  /** For tests: whether a copy of {@code original} is kept. */
  boolean isKept(Path original, boolean zstd) {
    return keptCopy(original, zstd)
        .map(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
        .orElse(false);
  }
}
