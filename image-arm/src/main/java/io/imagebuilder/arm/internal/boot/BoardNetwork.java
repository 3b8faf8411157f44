package io.imagebuilder.arm.internal.boot;

import io.imagebuilder.api.board.Board;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.stage.StageContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The network configuration of a bootable image, so that it answers on its network once booted (an
 * SSH server behind qemu's port forwarding, a board on a LAN): DHCP on every wired interface,
 * {@code en*} (predictable names) and {@code eth*} (boards without them).
 *
 * <ul>
 *   <li>{@link Board#NETWORKD}: a {@code .network} file and {@code systemctl enable
 *       systemd-networkd} (run in the target, so the unit's own [Install] section decides the
 *       links).
 *   <li>{@link Board#IFUPDOWN}: ifupdown and a DHCP client installed, and an {@code interfaces.d}
 *       stanza raising any wired interface as it appears (ifupdown's name patterns).
 *   <li>{@link Board#NETWORKING_AUTO}: networkd where the tree has systemd-networkd once the boot
 *       packages are in, else ifupdown.
 * </ul>
 */
final class BoardNetwork {
  static final String NETWORKD_FILE = "/etc/systemd/network/20-imagebuilder-wired.network";
  static final String IFUPDOWN_FILE = "/etc/network/interfaces.d/imagebuilder-wired";
  static final List<String> IFUPDOWN_PACKAGES = List.of("ifupdown", "isc-dhcp-client");

  /** Where systemd-networkd is, merged /usr or not. */
  private static final List<String> NETWORKD_BINARIES =
      List.of("/usr/lib/systemd/systemd-networkd", "/lib/systemd/systemd-networkd");

  static final String NETWORKD_CONFIG =
      String.join(
          "\n",
          "# Written by ImageBuilder: DHCP (IPv4 and IPv6) on every wired interface.",
          "[Match]",
          "Type=ether",
          "Name=en* eth*",
          "",
          "[Network]",
          "DHCP=yes",
          "");

  static final String IFUPDOWN_CONFIG =
      String.join(
          "\n",
          "# Written by ImageBuilder: DHCP on every wired interface as it appears.",
          "allow-hotplug /en*=imagebuilder-wired /eth*=imagebuilder-wired",
          "iface imagebuilder-wired inet dhcp",
          "iface imagebuilder-wired inet6 auto",
          "");

  private BoardNetwork() {}

  /** The packages to install with the board's ones for {@code mode}: ifupdown's when asked. */
  static List<String> packages(String mode) {
    return mode.equals(Board.IFUPDOWN) ? IFUPDOWN_PACKAGES : List.of();
  }

  /**
   * What {@code mode} comes to for the tree at {@code root}, once the board's packages are in:
   * {@link Board#NETWORKD}, {@link Board#IFUPDOWN} or {@link Board#NETWORKING_NONE}.
   */
  static String resolve(String mode, Path root) throws IOException {
    if (!mode.equals(Board.NETWORKING_AUTO)) {
      return mode;
    }
    for (String binary : NETWORKD_BINARIES) {
      if (TargetFiles.exists(root, binary)) {
        return Board.NETWORKD;
      }
    }
    return Board.IFUPDOWN;
  }

  /**
   * Configures the network for {@code mode} (resolved): writes the configuration and enables
   * networkd, or installs ifupdown's packages (unless {@code installed}) and writes its stanza.
   */
  static void configure(
      StageContext context, String mode, boolean installed, PackageInstall install)
      throws ImageBuildException, InterruptedException {
    Path root = context.rootfs();
    try {
      switch (mode) {
        case Board.NETWORKD -> {
          TargetFiles.write(root, NETWORKD_FILE, NETWORKD_CONFIG, "rw-r--r--");
          context.run(Command.of(List.of("systemctl", "enable", "systemd-networkd.service")));
        }
        case Board.IFUPDOWN -> {
          if (!installed) {
            install.install(IFUPDOWN_PACKAGES);
          }
          TargetFiles.write(root, IFUPDOWN_FILE, IFUPDOWN_CONFIG, "rw-r--r--");
        }
        case Board.NETWORKING_NONE -> {
          // The image brings its own.
        }
        default ->
            throw new IllegalArgumentException(
                "invalid networking '"
                    + mode
                    + "' (expected "
                    + Board.NETWORKD
                    + ", "
                    + Board.IFUPDOWN
                    + " or "
                    + Board.NETWORKING_NONE
                    + ")");
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot configure the network: " + e.getMessage(), e);
    }
    context.log("network: " + mode + " with DHCP on wired interfaces (en*, eth*)");
  }

  /** Installs packages into the target (the board stage's installer). */
  @FunctionalInterface
  interface PackageInstall {
    void install(List<String> packages) throws ImageBuildException, InterruptedException;
  }
}
