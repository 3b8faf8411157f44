package io.imagebuilder.api;

import io.imagebuilder.api.spec.FileEntry;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.internal.validate.Checks;
import java.util.List;

/**
 * What makes an image a cloud image ({@link ImageBuilder#asCloudImage(String)}, the {@code cloud}
 * image type), composed of plain spec features only: a board, its packages, one file and the qcow2
 * format, so a cloud image's spec hash is that of the same spec written by hand.
 */
final class CloudImage {
  /** The boards a cloud image is made for: virtual machines with a serial console. */
  static final List<String> BOARDS = List.of("pc-amd64", "qemu-arm64");

  /**
   * cloud-init and what it needs at first boot beyond its dependencies: growpart
   * (cloud-guest-utils, a Recommends the build does not install) and resize2fs (e2fsprogs) for the
   * root, sudo for the users' sudo rules a seed gives, and the SSH server the seed's key is for.
   * NoCloud finds its seed with blkid and mounts it with mount (util-linux, mount: required
   * packages) and the kernel's vfat or iso9660 module.
   */
  static final List<String> PACKAGES =
      List.of("cloud-init", "cloud-guest-utils", "e2fsprogs", "sudo", "openssh-server");

  /** Sorts after the 90_dpkg.cfg of Debian's package, whose datasource_list it replaces. */
  static final String CONFIG_PATH = "/etc/cloud/cloud.cfg.d/91_imagebuilder.cfg";

  /**
   * The datasources ds-identify looks for, in order (it reads the last {@code datasource_list} line
   * of the configuration, so the list stays on one line): a NoCloud seed first, None last so a boot
   * without any still finishes. No password logins: root stays locked (its shadow entry has no
   * password) and SSH takes keys only.
   */
  static final String CONFIG =
      String.join(
          "\n",
          "# Written by ImageBuilder (cloud image): where cloud-init looks for its configuration.",
          "datasource_list: [ NoCloud, ConfigDrive, OpenStack, Ec2, GCE, Azure, Oracle, None ]",
          "# No password logins: root stays locked, SSH takes keys only.",
          "disable_root: true",
          "ssh_pwauth: false",
          "# The hostname the datasource gives resolves (sudo looks it up).",
          "manage_etc_hosts: true",
          "# The image generates no locales (Debian's locale-gen makes those /etc/locale.gen names),",
          "# so cloud-init's default en_US.UTF-8 fails update-locale; C.UTF-8 is built into libc.",
          "locale: C.UTF-8",
          "");

  private CloudImage() {}

  /** Configures {@code builder} as a cloud image for {@code boardId}. */
  static void apply(ImageBuilder builder, String boardId) {
    if (!BOARDS.contains(boardId)) {
      throw new IllegalArgumentException(
          "invalid board '"
              + Checks.excerpt(boardId)
              + "' for a cloud image (expected one of "
              + String.join(", ", BOARDS)
              + ")");
    }
    builder
        .forBoard(boardId)
        .withPackages(PACKAGES.toArray(String[]::new))
        .withFile(FileEntry.text(CONFIG_PATH, CONFIG))
        // cloud-init grows the root (its growpart and resizefs modules, which user-data can
        // configure or turn off); the board's own grow-root unit would run growpart on the same
        // partition in the same boot, so it is left out.
        .withGrowRoot(false)
        .withOutputs(OutputFormat.QCOW2);
  }
}
