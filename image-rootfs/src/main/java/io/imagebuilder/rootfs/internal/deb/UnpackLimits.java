package io.imagebuilder.rootfs.internal.deb;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.rootfs.internal.host.HostSetting;
import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Caps on what one archive from outside (a base image) may unpack to: its regular files' bytes and
 * its number of entries, so a small archive that unpacks to a disk-filling tree (a tar bomb) fails
 * early with the cap named instead of filling the disk. The defaults are far above real systems (a
 * full desktop is some 10 GiB and 500,000 entries).
 *
 * @param maxBytes the most bytes of regular files
 * @param maxEntries the most entries of any kind
 */
public record UnpackLimits(long maxBytes, long maxEntries) {
  /** The cap on a base image's unpacked bytes, default 64 GiB; a number with K, M, G or T. */
  public static final HostSetting<Long> BASE_IMAGE_MAX_BYTES =
      new HostSetting<>(
          "imagebuilder.baseImage.maxBytes",
          "IMAGEBUILDER_BASE_IMAGE_MAX_BYTES",
          64L << 30,
          v -> parse(v, "bytes", true));

  /** The cap on a base image's entries, default 4 million. */
  public static final HostSetting<Long> BASE_IMAGE_MAX_ENTRIES =
      new HostSetting<>(
          "imagebuilder.baseImage.maxEntries",
          "IMAGEBUILDER_BASE_IMAGE_MAX_ENTRIES",
          4_000_000L,
          v -> parse(v, "entries", false));

  /** No caps: for archives ImageBuilder wrote itself. */
  public static final UnpackLimits NONE = new UnpackLimits(Long.MAX_VALUE, Long.MAX_VALUE);

  /** The host's caps for base images. */
  public static UnpackLimits forBaseImages() throws ImageBuildException {
    return new UnpackLimits(
        BASE_IMAGE_MAX_BYTES.valueForBuild(), BASE_IMAGE_MAX_ENTRIES.valueForBuild());
  }

  /** Counts what one archive unpacks, failing at the first entry past a cap. */
  final class Budget {
    private final String what;
    private long bytes;
    private long entries;

    Budget(String what) {
      this.what = what;
    }

    void add(TarArchiveEntry e) throws ImageBuildException {
      entries++;
      if (entries > maxEntries) {
        throw new ImageBuildException(
            what
                + " has more than "
                + maxEntries
                + " entries (the cap on entries; raise it with -D"
                + BASE_IMAGE_MAX_ENTRIES.property()
                + ")");
      }
      if (e.isFile() && !e.isLink()) {
        bytes += Math.max(0, e.getSize());
        if (bytes > maxBytes) {
          throw new ImageBuildException(
              what
                  + " unpacks to more than "
                  + human(maxBytes)
                  + " (the cap on unpacked bytes, passed at entry '"
                  + e.getName()
                  + "'; raise it with -D"
                  + BASE_IMAGE_MAX_BYTES.property()
                  + ")");
        }
      }
    }
  }

  Budget budget(String what) {
    return new Budget(what);
  }

  static String human(long bytes) {
    String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    long v = bytes;
    while (u < units.length - 1 && v >= 1024 && v % 1024 == 0) {
      v /= 1024;
      u++;
    }
    return v + " " + units[u];
  }

  private static Long parse(String value, String what, boolean sizes) {
    String v = value.toUpperCase(Locale.ROOT);
    long factor = 1;
    if (sizes && !v.isEmpty() && "KMGT".indexOf(v.charAt(v.length() - 1)) >= 0) {
      factor = 1L << (10 * ("KMGT".indexOf(v.charAt(v.length() - 1)) + 1));
      v = v.substring(0, v.length() - 1);
    }
    try {
      long n = Long.parseLong(v);
      if (n > 0 && n <= Long.MAX_VALUE / factor) {
        return n * factor;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "invalid cap on "
            + what
            + " '"
            + value
            + "' (expected a positive number"
            + (sizes ? ", optionally with K, M, G or T" : "")
            + ")");
  }
}
