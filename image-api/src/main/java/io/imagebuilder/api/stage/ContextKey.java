package io.imagebuilder.api.stage;

/**
 * A typed name for a fact one stage records for later ones (e.g. the installed packages for the
 * manifest). Keys are compared by name.
 *
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
