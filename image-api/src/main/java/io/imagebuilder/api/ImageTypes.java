package io.imagebuilder.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * A registry from {@code image_type} names to {@link ImageType}s. {@link #standard()} holds
 * {@code rootfs} (a root filesystem tarball, optionally from a base image), {@code disk} (a
 * bootable disk image for the request's {@code board}) and whatever ServiceLoader finds.
 */
public final class ImageTypes {
  private final Map<String, ImageType> types;

  private ImageTypes(Map<String, ImageType> types) {
    this.types = Map.copyOf(types);
  }

  public static ImageTypes standard() {
    Map<String, ImageType> types = new LinkedHashMap<>();
    for (ImageType t : List.of(new RootfsImageType(), new DiskImageType())) {
      types.put(t.name(), t);
    }
    ServiceLoader.load(ImageType.class).forEach(t -> types.put(t.name(), t));
    return new ImageTypes(types);
  }

  /** A registry with {@code type} added (replacing one of the same name). */
  public ImageTypes with(ImageType type) {
    Map<String, ImageType> copy = new LinkedHashMap<>(types);
    copy.put(type.name(), type);
    return new ImageTypes(copy);
  }

  public Set<String> names() {
    return new TreeSet<>(types.keySet());
  }

  /**
   * A builder configured for {@code request}.
   *
   * @throws IllegalArgumentException for an unknown image_type (listing the known ones), a field
   *     the type does not accept, or any bad value
   */
  public ImageBuilder builderFor(BuildRequest request) {
    ImageType type = types.get(request.imageType());
    if (type == null) {
      throw new IllegalArgumentException(
          "unknown image_type '" + request.imageType() + "' (expected one of " + String.join(", ", names()) + ")");
    }
    for (String field : request.extra().keySet()) {
      if (!type.extraFields().contains(field)) {
        throw new IllegalArgumentException(
            "unknown field '" + field + "' for image_type '" + type.name() + "' (expected "
                + (type.extraFields().isEmpty() ? "none beyond the standard fields" : "one of " + new TreeSet<>(type.extraFields()))
                + ")");
      }
    }
    ImageBuilder builder = ImageBuilder.forSeries(request.series());
    request.ppaList().forEach(builder::withPpa);
    builder.withPackages(request.packageList().toArray(String[]::new));
    type.configure(request, builder);
    return builder;
  }

  /** A root filesystem tarball; {@code image} names a base rootfs tarball to start from. */
  static final class RootfsImageType implements ImageType {
    @Override
    public String name() {
      return "rootfs";
    }

    @Override
    public String description() {
      return "a root filesystem tarball";
    }

    @Override
    public Set<String> extraFields() {
      return Set.of("arch", "format");
    }

    @Override
    public void configure(BuildRequest request, ImageBuilder builder) {
      if (request.image() != null) {
        builder.withBaseImage(request.image());
      }
      if (request.extra().get("arch") instanceof String arch) {
        builder.forArchitecture(arch);
      }
      if (request.extra().get("format") instanceof String format) {
        builder.withOutputs(format);
      }
    }
  }

  /** A bootable disk image for {@code board} (default pc-amd64). */
  static final class DiskImageType implements ImageType {
    @Override
    public String name() {
      return "disk";
    }

    @Override
    public String description() {
      return "a bootable disk image for a board";
    }

    @Override
    public Set<String> extraFields() {
      return Set.of("board", "format");
    }

    @Override
    public void configure(BuildRequest request, ImageBuilder builder) {
      if (request.image() != null) {
        builder.withBaseImage(request.image());
      }
      Object board = request.extra().getOrDefault("board", "pc-amd64");
      builder.forBoard(String.valueOf(board));
      if (request.extra().get("format") instanceof String format) {
        builder.withOutputs(format);
      }
    }
  }
}
