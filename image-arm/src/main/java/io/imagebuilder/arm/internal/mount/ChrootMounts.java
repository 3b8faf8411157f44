package io.imagebuilder.arm.internal.mount;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.log.Logs;
import io.imagebuilder.internal.process.HostProcess;
import io.imagebuilder.internal.process.HostTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;

/**
 * The kernel filesystems a chroot needs: {@code /proc}, a read-only {@code /sys}, a minimal tmpfs
 * {@code /dev} (null, zero, full, random, urandom, tty, ptmx, a private {@code /dev/pts} instance
 * and {@code /dev/shm}) and a tmpfs {@code /run}.
 *
 * <p>The root is first bind-mounted onto itself and made private, so that nothing mounted inside
 * propagates to the host or from it. The host's {@code /dev} is never bind-mounted: a stale bind is
 * how other tools came to delete a host's device nodes. Every mount is recorded and undone in
 * reverse order by {@link #tearDown()}, which also runs from a JVM shutdown hook.
 */
public final class ChrootMounts {
  private static final Logger LOG = Logs.get(ChrootMounts.class);

  /** mount, umount, mknod, ldd: seconds of work; a minute bounds a hung one. */
  public static final Duration SHORT_COMMAND = Duration.ofSeconds(60);

  /** name, mode, major, minor of the device nodes in the minimal /dev. */
  private static final Object[][] NODES = {
    {"null", "666", 1, 3}, {"zero", "666", 1, 5}, {"full", "666", 1, 7},
    {"random", "666", 1, 8}, {"urandom", "666", 1, 9}, {"tty", "666", 5, 0},
  };

  private final Path root;
  private final List<Path> recorded = new ArrayList<>();
  private boolean up;

  /**
   * @param root the target root, already resolved to its real path
   */
  public ChrootMounts(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** The mount points made so far, in the order they were made. */
  public synchronized List<Path> recorded() {
    return Collections.unmodifiableList(new ArrayList<>(recorded));
  }

  /** Mounts everything, once; a failure undoes what was already mounted. */
  public synchronized void setUp() throws ImageBuildException {
    if (up) {
      return;
    }
    if (root.getNameCount() == 0) {
      throw new IllegalArgumentException(
          "invalid root '" + root + "' (expected a directory other than /)");
    }
    MountRegistry.register(this);
    try {
      String mount = HostTools.require("mount", "mount");
      mount(List.of(mount, "--bind", root.toString(), root.toString()), root);
      run(List.of(mount, "--make-private", root.toString()));
      mount(List.of(mount, "-t", "proc", "-o", "nosuid,nodev,noexec", "proc", dir("proc")), null);
      mount(
          List.of(mount, "-t", "sysfs", "-o", "ro,nosuid,nodev,noexec", "sysfs", dir("sys")), null);
      mount(
          List.of(
              mount,
              "-t",
              "tmpfs",
              "-o",
              "mode=0755,nosuid,size=16m",
              "imagebuilder-dev",
              dir("dev")),
          null);
      populateDev(root.resolve("dev"));
      mount(
          List.of(
              mount,
              "-t",
              "devpts",
              "-o",
              "newinstance,ptmxmode=0666,mode=0620,gid=5",
              "devpts",
              root.resolve("dev/pts").toString()),
          null);
      mount(
          List.of(
              mount,
              "-t",
              "tmpfs",
              "-o",
              "mode=1777,nosuid,nodev",
              "imagebuilder-shm",
              root.resolve("dev/shm").toString()),
          null);
      mount(
          List.of(
              mount, "-t", "tmpfs", "-o", "mode=0755,nosuid,nodev", "imagebuilder-run", dir("run")),
          null);
      // Everything sits below the private root already; say so explicitly for each mount.
      run(List.of(mount, "--make-rprivate", root.toString()));
      up = true;
    } catch (ImageBuildException | IOException | RuntimeException e) {
      try {
        tearDown();
      } catch (ImageBuildException inner) {
        e.addSuppressed(inner);
      }
      if (e instanceof ImageBuildException ibe) {
        throw ibe;
      }
      throw new ImageBuildException(
          "cannot mount kernel filesystems in " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Ends processes left inside the root, then unmounts anything mounted below it that was not
   * recorded (say by a maintainer script), then the recorded mounts in reverse order. Safe to call
   * more than once.
   */
  public synchronized void tearDown() throws ImageBuildException {
    up = false;
    List<String> problems = new ArrayList<>();
    try {
      if (!recorded.isEmpty()) {
        ProcessesInRoot.killAll(root);
        List<MountEntry> now = Unmounter.below(MountInfoParser.current(), root);
        for (MountEntry e : Unmounter.deepestFirst(now)) {
          if (!recorded.contains(e.mountPoint())) {
            LOG.warn(
                "unmounting {} ({}), mounted in {} by a command", e.mountPoint(), e.fsType(), root);
            Unmounter.unmount(e.mountPoint(), root);
          }
        }
      }
    } catch (IOException e) {
      problems.add(e.getMessage());
    }
    for (int i = recorded.size() - 1; i >= 0; i--) {
      Path p = recorded.get(i);
      try {
        Unmounter.unmount(p, root);
        recorded.remove(i);
      } catch (IOException e) {
        problems.add(e.getMessage());
      }
    }
    MountRegistry.unregister(this);
    if (!problems.isEmpty()) {
      throw new ImageBuildException(
          "cannot undo the mounts in " + root + ": " + String.join("; ", problems));
    }
  }

  /**
   * Bind-mounts {@code source} onto {@code point}, an existing file or directory below the root
   * (already resolved, not a symbolic link), recorded so that {@link #tearDown()} undoes it if
   * {@link #unmount} is never reached.
   */
  public synchronized void bind(Path source, Path point) throws ImageBuildException {
    if (!up) {
      throw new IllegalStateException("the mounts in " + root + " are not set up");
    }
    if (!point.normalize().startsWith(root)
        || point.normalize().equals(root)
        || Files.isSymbolicLink(point)
        || !Files.exists(point, LinkOption.NOFOLLOW_LINKS)) {
      throw new ImageBuildException(
          "refusing to bind-mount onto "
              + point
              + " (expected an existing file or directory below "
              + root
              + ", not a symbolic link)");
    }
    try {
      mount(
          List.of(
              HostTools.require("mount", "mount"), "--bind", source.toString(), point.toString()),
          point);
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot bind-mount " + source + " onto " + point + ": " + e.getMessage(), e);
    }
  }

  /** Undoes a mount made by {@link #bind}. */
  public synchronized void unmount(Path point) throws ImageBuildException {
    int i = recorded.lastIndexOf(point);
    if (i < 0) {
      throw new IllegalArgumentException(
          "invalid mount point '" + point + "' (expected one made by bind)");
    }
    try {
      Unmounter.unmount(point, root);
      recorded.remove(i);
    } catch (IOException e) {
      throw new ImageBuildException(e.getMessage(), e);
    }
  }

  private String dir(String name) throws ImageBuildException {
    return safeDirectory(root, name).toString();
  }

  /**
   * {@code root/name} as a real directory (created if missing). A symlink there is refused: mount
   * would follow it, possibly onto a host directory.
   */
  static Path safeDirectory(Path root, String name) throws ImageBuildException {
    Path p = root.resolve(name);
    if (Files.isSymbolicLink(p)) {
      throw new ImageBuildException(
          "refusing to mount on "
              + p
              + ": it is a symbolic link (expected a directory inside the root)");
    }
    try {
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(p);
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot create mount point " + p + ": " + e, e);
    }
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new ImageBuildException("refusing to mount on " + p + ": not a directory");
    }
    return p;
  }

  private void populateDev(Path dev) throws IOException, ImageBuildException {
    String mknod = HostTools.require("mknod", "coreutils");
    for (Object[] n : NODES) {
      run(
          List.of(
              mknod,
              "-m",
              (String) n[1],
              dev.resolve((String) n[0]).toString(),
              "c",
              String.valueOf(n[2]),
              String.valueOf(n[3])));
    }
    Files.createDirectory(dev.resolve("pts"));
    Files.createDirectory(dev.resolve("shm"));
    Files.createSymbolicLink(dev.resolve("ptmx"), Path.of("pts/ptmx"));
    Files.createSymbolicLink(dev.resolve("fd"), Path.of("/proc/self/fd"));
    Files.createSymbolicLink(dev.resolve("stdin"), Path.of("/proc/self/fd/0"));
    Files.createSymbolicLink(dev.resolve("stdout"), Path.of("/proc/self/fd/1"));
    Files.createSymbolicLink(dev.resolve("stderr"), Path.of("/proc/self/fd/2"));
  }

  private void mount(List<String> argv, Path point) throws IOException, ImageBuildException {
    Path target = point != null ? point : Path.of(argv.get(argv.size() - 1));
    run(argv);
    recorded.add(target);
  }

  private static void run(List<String> argv) throws IOException, ImageBuildException {
    HostProcess.Result r = HostProcess.of(argv).timeout(SHORT_COMMAND).runToEnd();
    if (!r.ok()) {
      throw new ImageBuildException(
          String.join(" ", argv) + " failed (exit " + r.exitCode() + "): " + r.output());
    }
  }
}
