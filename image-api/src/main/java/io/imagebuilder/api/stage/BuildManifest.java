package io.imagebuilder.api.stage;

/**
 * The manifest of a build as the stage that assembles it made it ({@link
 * StageContext#setManifest}): the engine writes it, atomically, to {@code <image>.manifest.json} in
 * the output directory, keeps it with the result in the stage cache and names it in the build's
 * result. The engine does not read or change the text.
 *
 * @param image the image's name, the file name's stem, e.g. {@code debian-bookworm-amd64}: no
 *     {@code /}, not starting with {@code .}
 * @param json the manifest's JSON text, written as UTF-8 exactly as given
 */
public record BuildManifest(String image, String json) {
  /** The manifest file's name suffix. */
  public static final String SUFFIX = ".manifest.json";

  /**
   * Checks the values.
   *
   * @param image the image's name
   * @param json the manifest's JSON text
   * @throws IllegalArgumentException naming the bad value
   */
  public BuildManifest {
    if (image == null
        || image.isBlank()
        || image.startsWith(".")
        || image.indexOf('/') >= 0
        || image.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "invalid image name '" + image + "' (expected a file name stem: no '/', no leading '.')");
    }
    if (json == null || json.isEmpty()) {
      throw new IllegalArgumentException("the manifest of image '" + image + "' is empty");
    }
  }

  /** {@return the manifest file's name, {@code <image>.manifest.json}} */
  public String fileName() {
    return image + SUFFIX;
  }
}
