package io.imagebuilder.arm.internal.mount;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/** Sends signals to processes and process groups ({@code kill(2)}), which the JDK cannot. */
public final class Signals {
  public static final int SIGKILL = 9;
  public static final int SIGTERM = 15;

  private static final POSIX POSIX = POSIXFactory.getNativePOSIX();

  private Signals() {}

  /** Signals every process in group {@code pgid}; false when none is left. */
  public static boolean killGroup(long pgid, int signal) {
    if (pgid <= 1) {
      throw new IllegalArgumentException("invalid process group '" + pgid + "' (expected > 1)");
    }
    return POSIX.kill((int) -pgid, signal) == 0;
  }

  /** Signals process {@code pid}; false when it is gone. */
  public static boolean kill(long pid, int signal) {
    if (pid <= 1) {
      throw new IllegalArgumentException("invalid pid '" + pid + "' (expected > 1)");
    }
    return POSIX.kill((int) pid, signal) == 0;
  }

  /** The effective user id of the JVM. */
  public static int effectiveUid() {
    return POSIX.geteuid();
  }
}
