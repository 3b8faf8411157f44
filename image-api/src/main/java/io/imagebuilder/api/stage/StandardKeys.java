package io.imagebuilder.api.stage;

import java.nio.file.Path;

/** Facts the standard stages share through the {@link StageContext}. */
public final class StandardKeys {
  /** The manifest file written beside the artifacts, once the record stage ran. */
  public static final ContextKey<Path> MANIFEST_FILE = ContextKey.of("record.manifestFile", Path.class);

  private StandardKeys() {}
}
