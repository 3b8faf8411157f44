package io.imagebuilder.api.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** An artifact format, named by its file extension. */
public enum OutputFormat {
  TAR("tar", false),
  TAR_GZ("tar.gz", false),
  TAR_XZ("tar.xz", false),
  TAR_ZST("tar.zst", false),
  RAW("img", true),
  RAW_XZ("img.xz", true),
  RAW_ZST("img.zst", true),
  QCOW2("qcow2", true);

  private final String extension;
  private final boolean diskImage;

  OutputFormat(String extension, boolean diskImage) {
    this.extension = extension;
    this.diskImage = diskImage;
  }

  /** The file extension without the leading dot, e.g. {@code tar.zst}. */
  @JsonValue
  public String extension() {
    return extension;
  }

  /** True for disk images (they need a board); false for rootfs tarballs. */
  public boolean isDiskImage() {
    return diskImage;
  }

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
