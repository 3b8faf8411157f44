package io.imagebuilder.arm.internal.sandbox;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.process.HostTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a chroot needs mounted, made inside a {@link Sandbox}'s mount namespace: {@code /proc} (of
 * the sandbox's PID namespace), a read-only bind of {@code /sys} (a user namespace may not mount
 * sysfs without its own network namespace), a tmpfs {@code /dev} whose null, zero, full, random,
 * urandom and tty are bind mounts of the host's nodes (a user namespace cannot create device
 * nodes), a new devpts instance, {@code /dev/shm} and a tmpfs {@code /run}. The host sees none of
 * it, and it needs no undoing: it ends with the sandbox. What the tree holds on disk is the same as
 * in a root build (the root build's nodes live on its /dev tmpfs, never on disk).
 */
public final class SandboxMounts {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /**
   * A fixed program, the root passed as $1 (never spliced into the text): one process instead of
   * twenty nsenters. Each mount point is refused when it is a symlink (mount would follow it).
   */
  private static final String SCRIPT =
      String.join(
          "\n",
          "set -eu",
          "r=$1",
          "for d in proc sys dev run; do",
          "  if [ -L \"$r/$d\" ]; then echo \"refusing to mount on $r/$d: a symbolic link\" >&2; exit 1; fi",
          "  [ -d \"$r/$d\" ] || mkdir \"$r/$d\"",
          "done",
          "mount -t proc -o nosuid,nodev,noexec proc \"$r/proc\"",
          "mount --rbind /sys \"$r/sys\"",
          "mount -o remount,bind,ro \"$r/sys\"",
          "mount -t tmpfs -o mode=0755,nosuid,size=16m imagebuilder-dev \"$r/dev\"",
          "for n in null zero full random urandom tty; do",
          "  : > \"$r/dev/$n\"",
          "  mount --bind \"/dev/$n\" \"$r/dev/$n\"",
          "done",
          "mkdir \"$r/dev/pts\" \"$r/dev/shm\"",
          "mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts \"$r/dev/pts\"",
          "mount -t tmpfs -o mode=1777,nosuid,nodev imagebuilder-shm \"$r/dev/shm\"",
          "ln -s pts/ptmx \"$r/dev/ptmx\"",
          "ln -s /proc/self/fd \"$r/dev/fd\"",
          "ln -s /proc/self/fd/0 \"$r/dev/stdin\"",
          "ln -s /proc/self/fd/1 \"$r/dev/stdout\"",
          "ln -s /proc/self/fd/2 \"$r/dev/stderr\"",
          "mount -t tmpfs -o mode=0755,nosuid,nodev imagebuilder-run \"$r/run\"",
          "");

  private SandboxMounts() {}

  /** Mounts everything below {@code root} (its real path) inside {@code sandbox}. */
  public static void setUp(Sandbox sandbox, Path root) throws ImageBuildException {
    if (root.getNameCount() == 0) {
      throw new IllegalArgumentException(
          "invalid root '" + root + "' (expected a directory other than /)");
    }
    sandbox.runHostTool(
        List.of(
            HostTools.require("sh", "dash"), "-c", SCRIPT, "imagebuilder-mounts", root.toString()),
        TIMEOUT);
  }
}
