package io.imagebuilder.rootfs.internal.deb;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.stage.StageContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the owners of files written from Java come from. As root they are set at once (lchown). As
 * an ordinary user (a rootless build) the JVM cannot give a file to another id: what it writes
 * belongs to the caller, which is root inside the build's user namespace, and every other owner is
 * recorded and applied later inside that namespace by {@link #applyPending}, followed by the mode
 * again (chown clears setuid and setgid).
 */
public final class Ownership {
  /** At most this many paths per chown or chmod command (far below the kernel's argv limit). */
  private static final int BATCH = 400;

  private record Pending(String path, int mode, boolean symlink) {}

  private final boolean direct;
  private final Path root;

  /** "uid:gid" to the files waiting for that owner, in the order they were written. */
  private final Map<String, List<Pending>> pending = new LinkedHashMap<>();

  private Ownership(boolean direct, Path root) {
    this.direct = direct;
    this.root = root;
  }

  /** Owners for files below {@code root}: direct as root, deferred otherwise. */
  public static Ownership forRoot(Path root) {
    return new Ownership(Posix.isRoot(), root.toAbsolutePath().normalize());
  }

  /** Whether owners are set at once (the JVM runs as root). */
  public boolean direct() {
    return direct;
  }

  /**
   * Gives {@code path} (below the root, not followed if a symlink) to {@code uid:gid}; {@code mode}
   * is the full mode it must end with (ignored for symlinks).
   */
  public synchronized void set(Path path, int uid, int gid, int mode, boolean symlink)
      throws IOException {
    if (direct) {
      Posix.lchown(path, uid, gid);
      return;
    }
    if (uid == 0 && gid == 0) {
      return; // the caller is root inside the namespace: already right
    }
    String rel = root.relativize(path.toAbsolutePath().normalize()).toString();
    if (rel.startsWith("..") || rel.isEmpty()) {
      throw new IOException(
          "refusing to record an owner for " + path + " (expected a path below " + root + ")");
    }
    pending
        .computeIfAbsent(uid + ":" + gid, k -> new ArrayList<>())
        .add(new Pending("/" + rel, mode, symlink));
  }

  /** Whether owners wait to be applied. */
  public synchronized boolean hasPending() {
    return !pending.isEmpty();
  }

  /**
   * Applies the recorded owners through the build's executor (inside its namespace), then forgets
   * them.
   */
  public synchronized void applyPending(StageContext context)
      throws ImageBuildException, InterruptedException {
    for (Map.Entry<String, List<Pending>> e : pending.entrySet()) {
      List<Pending> files = e.getValue();
      for (int i = 0; i < files.size(); i += BATCH) {
        List<Pending> batch = files.subList(i, Math.min(files.size(), i + BATCH));
        List<String> argv = new ArrayList<>(List.of("chown", "--no-dereference", e.getKey(), "--"));
        batch.forEach(p -> argv.add(p.path()));
        context.run(Command.of(argv));
      }
      Map<Integer, List<String>> byMode = new LinkedHashMap<>();
      for (Pending p : files) {
        if (!p.symlink()) {
          byMode.computeIfAbsent(p.mode() & 07777, k -> new ArrayList<>()).add(p.path());
        }
      }
      for (Map.Entry<Integer, List<String>> m : byMode.entrySet()) {
        List<String> paths = m.getValue();
        for (int i = 0; i < paths.size(); i += BATCH) {
          List<String> argv =
              new ArrayList<>(List.of("chmod", Integer.toOctalString(m.getKey()), "--"));
          argv.addAll(paths.subList(i, Math.min(paths.size(), i + BATCH)));
          context.run(Command.of(argv));
        }
      }
    }
    pending.clear();
  }
}
