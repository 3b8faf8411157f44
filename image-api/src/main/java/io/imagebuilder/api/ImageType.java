package io.imagebuilder.api;

import java.util.Set;

/**
 * What a {@link BuildRequest}'s {@code image_type} names: how to turn such a request into a
 * configured {@link ImageBuilder}. Register more types in an {@link ImageTypes} registry, or
 * through {@code META-INF/services/io.imagebuilder.api.ImageType}.
 */
public interface ImageType {
  /** {@return the {@code image_type} value, e.g. {@code rootfs}} */
  String name();

  /** {@return one line that says what the type builds, for listings} */
  String description();

  /** {@return fields beyond the standard ones that this type accepts} */
  default Set<String> extraFields() {
    return Set.of();
  }

  /**
   * A builder for the request; {@link ImageTypes} has already applied series, PPAs, packages and
   * trigger, and checked the extra fields against {@link #extraFields()}.
   *
   * @param request the build request
   * @param builder the builder to configure from it
   */
  void configure(BuildRequest request, ImageBuilder builder);
}
