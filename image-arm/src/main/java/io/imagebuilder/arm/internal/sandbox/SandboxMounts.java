package io.imagebuilder.arm.internal.sandbox;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.process.HostTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the target needs mounted, made inside a {@link Sandbox}'s mount namespace, after which the
 * target becomes that namespace's root: {@code /proc} of the sandbox's PID namespace with the
 * kernel's writable knobs ({@link #READ_ONLY_PROC}) read-only and the files that reveal the host's
 * kernel ({@link #MASKED_PROC}) covered by {@code /dev/null}; a read-only sysfs of the sandbox's
 * network namespace (a read-only bind of the host's {@code /sys} where sysfs cannot be mounted); a
 * tmpfs {@code /dev} with only null, zero, full, random, urandom and tty (bind mounts of the host's
 * nodes: no block device, and a user namespace cannot create nodes), a new devpts instance and
 * {@code /dev/shm}; a tmpfs {@code /run}; loopback up in the sandbox's network namespace.
 *
 * <p>The host sees none of it, and it needs no undoing: it ends with the sandbox. What the tree
 * holds on disk is the same as without a sandbox.
 */
public final class SandboxMounts {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** Below the sandbox's /proc, bound read-only onto themselves. */
  public static final List<String> READ_ONLY_PROC =
      List.of("sys", "sysrq-trigger", "irq", "bus", "fs");

  /** Below the sandbox's /proc, covered by /dev/null. */
  public static final List<String> MASKED_PROC =
      List.of("kcore", "keys", "timer_list", "sched_debug", "kmsg");

  /**
   * A fixed program, the root passed as $1, the old root's place as $2, the lists as $3 and $4
   * (never spliced into the text): one process instead of thirty nsenters. Each mount point is
   * refused when it is a symlink (mount would follow it). It ends in pivot_root, after which no
   * host program is reachable by path; the old root is detached from outside ({@link #detachHost}).
   */
  private static final String SCRIPT =
      String.join(
          "\n",
          "set -eu",
          "r=$1",
          "old=$2",
          "for d in proc sys dev run; do",
          "  if [ -L \"$r/$d\" ]; then echo \"refusing to mount on $r/$d: a symbolic link\" >&2; exit 1; fi",
          "  [ -d \"$r/$d\" ] || mkdir \"$r/$d\"",
          "done",
          // pivot_root needs the new root to be a mount point
          "mount --bind \"$r\" \"$r\"",
          "mount -t proc -o nosuid,nodev,noexec proc \"$r/proc\"",
          "for p in $3; do",
          "  if [ -e \"$r/proc/$p\" ]; then",
          "    mount --bind \"$r/proc/$p\" \"$r/proc/$p\"",
          "    mount -o remount,bind,ro,nosuid,nodev,noexec \"$r/proc/$p\"",
          "  fi",
          "done",
          "for p in $4; do",
          "  if [ -e \"$r/proc/$p\" ]; then mount --bind /dev/null \"$r/proc/$p\"; fi",
          "done",
          "if ! mount -t sysfs -o ro,nosuid,nodev,noexec sysfs \"$r/sys\" 2>/dev/null; then",
          "  mount --rbind /sys \"$r/sys\"",
          "  mount -o remount,bind,ro \"$r/sys\"",
          "fi",
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
          // systemd's mark of a container, in the sandbox's own /run (never in the image): the
          // maintainer scripts that skip live-system work in a chroot (ischroot, false here since
          // the target is the root of its own PID namespace) or a container (systemd-detect-virt)
          // skip it here too, e.g. raspi-firmware's check that /boot/firmware is mounted
          "mkdir \"$r/run/systemd\"",
          "echo imagebuilder > \"$r/run/systemd/container\"",
          "if command -v ip >/dev/null 2>&1; then ip link set lo up; fi",
          "mkdir \"$r$old\"",
          "cd \"$r\"",
          "exec pivot_root . \"${old#/}\"",
          "");

  private SandboxMounts() {}

  /**
   * Mounts everything below {@code root} (its real path) inside {@code sandbox}, makes it the
   * sandbox's root and detaches the host's root from the sandbox.
   */
  public static void setUp(Sandbox sandbox, Path root) throws ImageBuildException {
    if (root.getNameCount() == 0) {
      throw new IllegalArgumentException(
          "invalid root '" + root + "' (expected a directory other than /)");
    }
    HostTools.require("pivot_root", "util-linux");
    sandbox.runHostTool(
        List.of(
            HostTools.require("sh", "dash"),
            "-c",
            SCRIPT,
            "imagebuilder-mounts",
            root.toString(),
            Sandbox.OLD_ROOT,
            String.join(" ", READ_ONLY_PROC),
            String.join(" ", MASKED_PROC)),
        TIMEOUT);
    detachHost(sandbox);
  }

  /**
   * Removes the directory the host's root was moved to, from outside the sandbox: the kernel then
   * detaches every mount on it in the sandbox's namespace (a mount point removed from another mount
   * namespace is unmounted lazily), so no path in the sandbox leads to the host.
   */
  static void detachHost(Sandbox sandbox) throws ImageBuildException {
    Path old = sandbox.inside().resolve(Sandbox.OLD_ROOT.substring(1));
    try {
      Files.delete(old);
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot detach the host's root from the sandbox (removing " + old + "): " + e, e);
    }
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc/" + sandbox.holderPid() + "/mountinfo"))) {
        String[] f = line.split(" ");
        if (f.length > 4 && f[4].startsWith(Sandbox.OLD_ROOT)) {
          throw new ImageBuildException("the host's root is still mounted in the sandbox: " + line);
        }
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot read the sandbox's mounts: " + e, e);
    }
  }
}
