package io.imagebuilder.manifest.internal.stages;

import io.imagebuilder.api.stage.ContextKey;
import io.imagebuilder.manifest.api.Manifest;

/** What the embed stage hands the record stage. */
final class ManifestKeys {
  /** The complete manifest (no artifacts yet) the embed stage made from the finished rootfs. */
  static final ContextKey<Manifest> ROOTFS_MANIFEST = ContextKey.of("manifest.rootfsManifest", Manifest.class);

  private ManifestKeys() {}
}
