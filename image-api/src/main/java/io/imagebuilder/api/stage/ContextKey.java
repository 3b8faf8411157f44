package io.imagebuilder.api.stage;

/**
 * A typed name for a fact one stage records for later ones. A key belongs to the module that
 * produces the fact and is declared there (image-rootfs's {@code rootfs.archiveHashes}, say); its
 * value is data (a record of strings, numbers, lists), so whatever keeps a stage's facts can keep
 * it. Facts the manifest needs go through {@link StageContext#provenance()} instead. Keys are
 * compared by name.
 *
 * @param <T> the value's type
 * @param name a dotted name, e.g. {@code rootfs.installedPackages}
 * @param type the value's class
 */
public record ContextKey<T>(String name, Class<T> type) {
  /**
   * A key.
   *
   * @param <T> the value's type
   * @param name the key's name
   * @param type the value's class
   * @return the key
   */
  public static <T> ContextKey<T> of(String name, Class<T> type) {
    return new ContextKey<>(name, type);
  }
}
