package io.imagebuilder.arm.internal.mount;

import io.imagebuilder.internal.log.Logs;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Every {@link ChrootMounts} with mounts in place, so that a JVM shutdown (Ctrl-C, SIGTERM,
 * System.exit) still ends their processes and undoes their mounts. Only {@code kill -9} escapes it;
 * {@link StaleMountCleaner} handles that case on the next build.
 */
final class MountRegistry {
  private static final Logger LOG = Logs.get(MountRegistry.class);
  private static final Set<ChrootMounts> LIVE = new LinkedHashSet<>();
  private static boolean hookInstalled;

  private MountRegistry() {}

  static synchronized void register(ChrootMounts mounts) {
    if (!hookInstalled) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(MountRegistry::undoAll, "imagebuilder-unmount"));
      hookInstalled = true;
    }
    LIVE.add(mounts);
  }

  static synchronized void unregister(ChrootMounts mounts) {
    LIVE.remove(mounts);
  }

  static synchronized List<ChrootMounts> live() {
    return new ArrayList<>(LIVE);
  }

  private static void undoAll() {
    List<ChrootMounts> all = live();
    // newest first, like every other undo
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        all.get(i).tearDown();
      } catch (Exception e) {
        LOG.error("at shutdown: {}", e.getMessage());
      }
    }
  }
}
