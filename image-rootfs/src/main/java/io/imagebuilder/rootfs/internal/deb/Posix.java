package io.imagebuilder.rootfs.internal.deb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The few POSIX calls the JDK lacks or makes costly (lchown by number, chmod with special bits,
 * lutimes), as checked calls that throw {@link IOException} naming the path and errno.
 */
public final class Posix {
  private static final POSIX POSIX = POSIXFactory.getNativePOSIX();
  private static final int UMASK = readUmask();

  private Posix() {}

  /** True when this process runs as root (and may set any owner). */
  public static boolean isRoot() {
    return POSIX.geteuid() == 0;
  }

  /** The process umask, read once from /proc (022 if unknown). */
  public static int umask() {
    return UMASK;
  }

  /** Sets the numeric owner of {@code path} without following a final symlink. */
  public static void lchown(Path path, int uid, int gid) throws IOException {
    check(POSIX.lchown(path.toString(), uid, gid), "lchown", path);
  }

  /** Sets all mode bits (including setuid, setgid, sticky) of a non-symlink. */
  public static void chmod(Path path, int mode) throws IOException {
    check(POSIX.chmod(path.toString(), mode & 07777), "chmod", path);
  }

  /** Sets atime and mtime (seconds) of {@code path}, or of a symlink itself. */
  public static void setMtime(Path path, long seconds, boolean symlink) throws IOException {
    long[] time = {seconds, 0};
    int rc =
        symlink
            ? POSIX.lutimes(path.toString(), time, time)
            : POSIX.utimes(path.toString(), time, time);
    check(rc, symlink ? "lutimes" : "utimes", path);
  }

  private static void check(int rc, String call, Path path) throws IOException {
    if (rc != 0) {
      int errno = POSIX.errno();
      throw new IOException(call + " " + path + " failed: errno " + errno);
    }
  }

  private static int readUmask() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Umask:")) {
          return Integer.parseInt(line.substring(6).strip(), 8);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through: assume the usual value; modes are then fixed with chmod when needed
    }
    return 022;
  }
}
