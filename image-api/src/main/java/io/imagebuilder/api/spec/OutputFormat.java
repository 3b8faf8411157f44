package io.imagebuilder.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
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
   * The format with this file extension.
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
    throw new IllegalArgumentException(
        "invalid output format '"
            + extension
            + "' (expected one of "
            + Arrays.stream(values()).map(OutputFormat::extension).collect(Collectors.joining(", "))
            + ")");
  }

  @Override
  public String toString() {
    return extension;
  }
}
