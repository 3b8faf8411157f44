package io.imagebuilder.api.stage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Facts the standard stages share through the {@link StageContext}. */
public final class StandardKeys {
  /** The manifest file written beside the artifacts, once the record stage ran. */
  public static final ContextKey<Path> MANIFEST_FILE = ContextKey.of("record.manifestFile", Path.class);

  /** Every repository packages were read from, added to by the bootstrap and sources stages. */
  public static final ContextKey<Repositories> REPOSITORIES = ContextKey.of("rootfs.repositories", Repositories.class);

  /** Origins of the installed packages' .debs, by package name. */
  public static final ContextKey<Origins> PACKAGE_ORIGINS = ContextKey.of("rootfs.packageOrigins", Origins.class);

  private StandardKeys() {}

  /** The repositories of a build, in the order they were first used. */
  public record Repositories(List<UsedRepository> list) {
    public Repositories {
      list = List.copyOf(list);
    }
  }

  /** Package origins by package name. */
  public record Origins(Map<String, PackageOrigin> byName) {
    public Origins {
      byName = Map.copyOf(byName);
    }
  }
}
