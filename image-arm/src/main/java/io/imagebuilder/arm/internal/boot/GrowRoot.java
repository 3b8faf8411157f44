package io.imagebuilder.arm.internal.boot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Grows the root partition to the end of its medium and the ext4 filesystem with it, once, at first
 * boot: a oneshot unit running growpart (cloud-guest-utils; MBR and GPT, and it moves a GPT's
 * backup header to the new end) then resize2fs online. The unit disables itself by condition once
 * it has run; growpart's "nothing to grow" is not a failure.
 */
final class GrowRoot {
  static final String UNIT = "imagebuilder-growroot.service";
  static final String SCRIPT = "/usr/lib/imagebuilder/growroot";
  static final String DONE = "/var/lib/imagebuilder/growroot-done";
  static final List<String> PACKAGES = List.of("cloud-guest-utils", "fdisk");

  private GrowRoot() {}

  static void install(Path root) throws IOException {
    TargetFiles.write(
        root,
        SCRIPT,
        String.join(
            "\n",
            "#!/bin/sh",
            "# Written by ImageBuilder: grows the root partition and filesystem to the medium, once.",
            "set -eu",
            "dev=$(findmnt -n -o SOURCE /)",
            "part=$(basename \"$(readlink -f \"$dev\")\")",
            "disk=$(basename \"$(readlink -f \"/sys/class/block/$part/..\")\")",
            "num=$(cat \"/sys/class/block/$part/partition\")",
            "rc=0",
            "growpart \"/dev/$disk\" \"$num\" || rc=$?",
            "# growpart exits 1 when the partition already fills the disk.",
            "if [ \"$rc\" -gt 1 ]; then exit \"$rc\"; fi",
            "resize2fs \"$dev\"",
            "mkdir -p \"$(dirname " + DONE + ")\"",
            "touch " + DONE,
            ""),
        "rwxr-xr-x");
    TargetFiles.write(
        root,
        "/etc/systemd/system/" + UNIT,
        String.join(
            "\n",
            "[Unit]",
            "Description=Grow the root filesystem to its medium (ImageBuilder)",
            "ConditionPathExists=!" + DONE,
            "After=systemd-remount-fs.service",
            "",
            "[Service]",
            "Type=oneshot",
            "ExecStart=" + SCRIPT,
            "",
            "[Install]",
            "WantedBy=multi-user.target",
            ""),
        "rw-r--r--");
    TargetFiles.symlink(
        root, "/etc/systemd/system/multi-user.target.wants/" + UNIT, "/etc/systemd/system/" + UNIT);
  }
}
