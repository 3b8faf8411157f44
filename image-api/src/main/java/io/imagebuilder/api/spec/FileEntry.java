package io.imagebuilder.api.spec;

import io.imagebuilder.internal.validate.Checks;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A file placed into the image, with its content held in the spec so the spec names it exactly.
 *
 * @param path absolute path inside the image
 * @param mode octal permission bits from {@code 0000} to {@code 0777}, e.g. {@code 0644} (setuid,
 *     setgid and sticky bits are refused)
 * @param contentBase64 the bytes, base64 encoded
 */
public record FileEntry(String path, String mode, String contentBase64) {
  private static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");

  /**
   * Checks the values.
   *
   * @param path absolute path inside the image
   * @param mode octal permission bits, e.g. {@code 0644}
   * @param contentBase64 the bytes, base64 encoded
   * @throws IllegalArgumentException naming the bad value and what was expected
   */
  public FileEntry {
    if (path == null
        || !path.startsWith("/")
        || path.endsWith("/")
        || path.contains("//")
        || ("/" + path + "/").contains("/../")
        || ("/" + path + "/").contains("/./")) {
      throw new IllegalArgumentException(
          "invalid image path '"
              + Checks.excerpt(path)
              + "' (expected an absolute path to a file, without . or ..)");
    }
    Checks.matches(mode, MODE, "mode of " + path, "octal permissions such as 0644");
    if ((Integer.parseInt(mode, 8) & ~0777) != 0) {
      throw new IllegalArgumentException(
          "invalid mode '"
              + mode
              + "' of "
              + path
              + " (expected permission bits 0000 to 0777:"
              + " setuid, setgid and sticky bits are not supported)");
    }
    Checks.notNull(contentBase64, "content of " + path);
    try {
      Base64.getDecoder().decode(contentBase64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "content of " + path + " is not base64: " + e.getMessage());
    }
  }

  /**
   * A file with the given bytes.
   *
   * @param path the absolute path inside the image, e.g. {@code /etc/motd}
   * @param mode the permission bits, e.g. {@code 0644}
   * @param content the file's bytes; copied (as base64)
   * @return the entry
   */
  public static FileEntry of(String path, int mode, byte[] content) {
    return new FileEntry(
        path, String.format("%04o", mode), Base64.getEncoder().encodeToString(content));
  }

  /**
   * A text file, UTF-8, mode 0644.
   *
   * @param path the absolute path inside the image
   * @param content the text
   * @return the entry
   */
  public static FileEntry text(String path, String content) {
    return of(path, 0644, content.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The file's bytes.
   *
   * @return a new array decoded from {@link #contentBase64()}
   */
  public byte[] content() {
    return Base64.getDecoder().decode(contentBase64);
  }

  /**
   * The permission bits as a number.
   *
   * @return the mode parsed as octal, e.g. {@code 0644} (420)
   */
  public int modeBits() {
    return Integer.parseInt(mode, 8);
  }
}
