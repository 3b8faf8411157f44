package io.imagebuilder.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** An artifact format, named by its file extension. */
public enum OutputFormat {
  /** An uncompressed rootfs tarball. */
  TAR("tar", false),
  /** A gzip-compressed rootfs tarball. */
  TAR_GZ("tar.gz", false),
  /** An xz-compressed rootfs tarball. */
  TAR_XZ("tar.xz", false),
  /** A zstd-compressed rootfs tarball. */
  TAR_ZST("tar.zst", false),
  /** A raw disk image. */
  RAW("img", true),
  /** An xz-compressed raw disk image. */
  RAW_XZ("img.xz", true),
  /** A zstd-compressed raw disk image. */
  RAW_ZST("img.zst", true),
  /** A qcow2 disk image (qemu). */
  QCOW2("qcow2", true);

  /** The names qemu-img, osbuild and most users type for a raw image; the spec says {@code img}. */
  private static final Map<String, OutputFormat> ALIASES =
      Map.of("raw", RAW, "raw.xz", RAW_XZ, "raw.zst", RAW_ZST);

  private final String extension;
  private final boolean diskImage;

  OutputFormat(String extension, boolean diskImage) {
    this.extension = extension;
    this.diskImage = diskImage;
  }

  /** {@return the file extension without the leading dot, e.g. {@code tar.zst}} */
  @JsonValue
  public String extension() {
    return extension;
  }

  /** {@return true for disk images (they need a board); false for rootfs tarballs} */
  public boolean isDiskImage() {
    return diskImage;
  }

  /**
   * The format with this file extension. {@code raw}, {@code raw.xz} and {@code raw.zst} name the
   * raw disk image formats too; the format's own name stays {@code img}, so a spec given {@code
   * raw} is the same spec, with the same hash, as one given {@code img}.
   *
   * @param extension e.g. {@code tar.zst}
   * @return the format
   * @throws IllegalArgumentException naming the value and the known extensions
   */
  @JsonCreator
  public static OutputFormat fromExtension(String extension) {
    for (OutputFormat f : values()) {
      if (f.extension.equals(extension)) {
        return f;
      }
    }
    OutputFormat alias = extension == null ? null : ALIASES.get(extension);
    if (alias != null) {
      return alias;
    }
    throw new IllegalArgumentException(
        "invalid output format '"
            + extension
            + "' (expected one of "
            + Arrays.stream(values()).map(OutputFormat::extension).collect(Collectors.joining(", "))
            + "; raw, raw.xz and raw.zst are img, img.xz and img.zst)");
  }

  @Override
  public String toString() {
    return extension;
  }
}
