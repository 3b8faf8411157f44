package io.imagebuilder.arm.internal.sandbox;

import java.util.List;

/**
 * The capability bounding set of every command run in a {@link Sandbox}: an allow-list of what
 * dpkg, apt and maintainer scripts need as root over the files of the target (owners, modes, setuid
 * bits, file capabilities such as ping's, signals to their own processes). Everything else is
 * dropped, so that root in the target cannot load a module, reboot, set the clock, mount, read raw
 * memory or devices, trace a process, open a file by handle past the root ({@code
 * dac_read_search}), make device nodes, or change the network or the security policy.
 */
public final class SandboxCapabilities {
  /** The capabilities a command keeps (setpriv names, without the {@code cap_} prefix). */
  public static final List<String> KEPT =
      List.of(
          "chown",
          "dac_override",
          "fowner",
          "fsetid",
          "kill",
          "setgid",
          "setuid",
          "setpcap",
          "setfcap",
          "net_bind_service",
          "net_raw",
          "sys_chroot",
          "audit_write");

  /**
   * Capabilities that must never be in the set; all of them are outside {@link #KEPT} (checked by
   * the tests), the list says why the allow-list is one.
   */
  public static final List<String> NEVER =
      List.of(
          "sys_admin",
          "sys_module",
          "sys_rawio",
          "sys_boot",
          "mknod",
          "sys_time",
          "sys_ptrace",
          "mac_admin",
          "mac_override",
          "syslog",
          "dac_read_search",
          "net_admin",
          "sys_resource",
          "linux_immutable",
          "bpf",
          "perfmon");

  private SandboxCapabilities() {}

  /** The {@code setpriv --bounding-set} argument: drop all, then add back {@link #KEPT}. */
  static String boundingSet() {
    StringBuilder b = new StringBuilder("-all");
    for (String c : KEPT) {
      b.append(",+").append(c);
    }
    return b.toString();
  }
}
