package io.imagebuilder.rootfs.internal.stages;

import com.github.luben.zstd.ZstdInputStream;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.io.AtomicFiles;
import io.imagebuilder.internal.log.Logs;
import io.imagebuilder.rootfs.internal.deb.Ownership;
import io.imagebuilder.rootfs.internal.deb.SafeExtractor;
import io.imagebuilder.rootfs.internal.tar.RootfsTarball;
import io.imagebuilder.rootfs.internal.tar.TarballResult;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;

/**
 * Bootstrapped trees kept across builds: {@code <dir>/<key>.tar.zst}, the rootfs as it is after
 * {@code dpkg --configure -a}, with {@code <key>.sha256} beside it. The key is a SHA-256 over
 * everything that decides that tree (see {@link #key}): the exact package set (each .deb's
 * SHA256), architecture, variant, series, SOURCE_DATE_EPOCH, executor, this code's {@link
 * #FORMAT} and the library build. A warm build whose resolution gives the same key unpacks the
 * tree instead of unpacking and configuring every package again.
 *
 * <p>A tree is written with RootfsTarball (sorted, numeric owners, mtimes clamped to
 * SOURCE_DATE_EPOCH, as the finalise stage clamps them anyway), under a temporary name then
 * renamed; it is read back, only after its SHA-256 matches the recorded one (a damaged tree is
 * deleted and rebuilt), through SafeExtractor, so nothing in it can land outside the rootfs.
 */
final class BootstrapTreeCache {
  /** Bump when the bootstrap writes a different tree for the same inputs. */
  static final int FORMAT = 1;

  private static final Logger LOG = Logs.get(BootstrapTreeCache.class);

  private final Path dir;

  BootstrapTreeCache(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** The key of a tree: SHA-256 of the lines given (one input each) and this code's version. */
  static String key(List<String> inputs) {
    StringBuilder text = new StringBuilder("bootstrap-tree " + FORMAT + " " + codeVersion() + "\n");
    for (String line : inputs) {
      if (line.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("invalid tree key input '" + line + "' (one line expected)");
      }
      text.append(line).append('\n');
    }
    return Sha256.ofString(text.toString());
  }

  /**
   * The jar (or class directory) this code came from, by size and modification time: a rebuilt
   * library never reuses a tree made by another build of it.
   */
  private static String codeVersion() {
    try {
      Path code = Path.of(BootstrapTreeCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return code.getFileName() + " " + Files.size(code) + " " + Files.getLastModifiedTime(code).toMillis();
    } catch (Exception e) {
      return "unknown";
    }
  }

  Path tree(String key) {
    return dir.resolve(key + ".tar.zst");
  }

  /**
   * Unpacks the tree of {@code key} into the empty {@code rootfs}; false when there is none or it
   * is damaged (then {@code rootfs} may hold part of it: the caller empties it).
   */
  boolean restore(String key, Path rootfs, Ownership owners) throws ImageBuildException {
    Path tree = tree(key);
    Path sum = dir.resolve(key + ".sha256");
    if (!Files.isRegularFile(tree) || !Files.isRegularFile(sum)) {
      return false;
    }
    try {
      String expected = Files.readString(sum, StandardCharsets.US_ASCII).strip();
      String actual = Sha256.ofFile(tree);
      if (!actual.equals(expected)) {
        LOG.warn("deleting the damaged bootstrap tree {} (SHA-256 {}, recorded {})", tree, actual, expected);
        delete(key);
        return false;
      }
      try (InputStream in = new BufferedInputStream(Files.newInputStream(tree), 1 << 17)) {
        new SafeExtractor(owners).extractTree(new ZstdInputStream(in), rootfs, "cached tree " + tree);
      }
      return true;
    } catch (IOException | ImageBuildException e) {
      LOG.warn("cannot use the bootstrap tree {}, deleting it: {}", tree, e.toString());
      delete(key);
      return false;
    }
  }

  /** Keeps {@code rootfs} as the tree of {@code key}; a failure only costs the next build time. */
  void store(String key, Path rootfs, long sourceDateEpoch) {
    try {
      Files.createDirectories(dir);
      TarballResult t = RootfsTarball.write(rootfs, tree(key), OutputFormat.TAR_ZST, sourceDateEpoch, 1);
      AtomicFiles.writeString(dir.resolve(key + ".sha256"), t.sha256() + "\n");
    } catch (IOException | ImageBuildException e) {
      LOG.warn("cannot keep the bootstrap tree {}: {}", tree(key), e.toString());
    }
  }

  private void delete(String key) {
    try {
      Files.deleteIfExists(dir.resolve(key + ".sha256"));
      Files.deleteIfExists(tree(key));
    } catch (IOException ignored) {
      // rewritten by the next store
    }
  }

}
