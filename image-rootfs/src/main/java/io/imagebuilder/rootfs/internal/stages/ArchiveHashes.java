package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.stage.ContextKey;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.rootfs.internal.repo.PackageRecord;
import io.imagebuilder.rootfs.internal.repo.Repository;
import java.util.HashMap;
import java.util.Map;

/**
 * Which repository offers a .deb with a given sha256, for every repository this build read: how the
 * packages stage learns where the packages apt installed came from, for the manifest.
 *
 * @param repositoryBySha256 repository name by .deb sha256
 */
record ArchiveHashes(Map<String, String> repositoryBySha256) {
  static final ContextKey<ArchiveHashes> KEY =
      ContextKey.of("rootfs.archiveHashes", ArchiveHashes.class);

  /** Adds every package of {@code repository} to what the context knows. */
  static void remember(StageContext context, Repository repository) {
    Map<String, String> all =
        new HashMap<>(context.get(KEY).map(ArchiveHashes::repositoryBySha256).orElse(Map.of()));
    for (PackageRecord p : repository.packages()) {
      all.putIfAbsent(p.sha256(), p.repository());
    }
    context.put(KEY, new ArchiveHashes(Map.copyOf(all)));
  }

  static void remember(StageContext context, String sha256, String repositoryName) {
    Map<String, String> all =
        new HashMap<>(context.get(KEY).map(ArchiveHashes::repositoryBySha256).orElse(Map.of()));
    all.putIfAbsent(sha256, repositoryName);
    context.put(KEY, new ArchiveHashes(Map.copyOf(all)));
  }

  static String repositoryOf(StageContext context, String sha256) {
    return context.get(KEY).map(h -> h.repositoryBySha256().get(sha256)).orElse(null);
  }
}
