package io.imagebuilder.arm.internal.boot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Grows the root partition to the end of its medium and the ext4 filesystem with it, once, at first
 * boot: a oneshot unit running a small shell script with util-linux's sfdisk (package fdisk; no
 * python, unlike cloud-guest-utils' growpart). On a GPT disk it first moves the backup header to
 * the disk's new end ({@code --relocate gpt-bak-std}), then it gives the root partition all the
 * free space after it ({@code ',+'} for that partition number; MBR disks such as a Raspberry Pi's
 * card too), tells the kernel the new size ({@code partx -u}) and grows the filesystem online
 * ({@code resize2fs}). Every step is a no-op when there is nothing to grow, so a run that stopped
 * half way is finished by the next boot; the unit turns itself off by condition once it has
 * succeeded.
 */
final class GrowRoot {
  static final String UNIT = "imagebuilder-growroot.service";
  static final String SCRIPT = "/usr/lib/imagebuilder/growroot";
  static final String DONE = "/var/lib/imagebuilder/growroot-done";

  /** sfdisk (fdisk) and resize2fs (e2fsprogs); findmnt and partx are util-linux's, essential. */
  static final List<String> PACKAGES = List.of("fdisk", "e2fsprogs");

  private GrowRoot() {}

  /** The script the unit runs. */
  static String script() {
    // sfdisk flags: the disk is in use (its root is mounted), so no re-read of the whole table and
    // no wiping of signatures; the kernel learns the one partition's new size from partx.
    String sfdisk = "sfdisk --no-reread --no-tell-kernel --wipe never --wipe-partitions never";
    return String.join(
        "\n",
        "#!/bin/sh",
        "# Written by ImageBuilder: grows the root partition and filesystem to the medium, once.",
        "set -eu",
        "# findmnt pads the column with spaces",
        "majmin=$(findmnt -n -o MAJ:MIN -M / | tr -d ' ')",
        "sys=$(readlink -f \"/sys/dev/block/$majmin\")",
        "part=/dev/${sys##*/}",
        "if [ ! -r \"$sys/partition\" ]; then",
        "  echo \"growroot: / is on $part ($majmin), not on a partition: nothing to grow\" >&2",
        "  exit 1",
        "fi",
        "num=$(cat \"$sys/partition\")",
        "disk=${sys%/*}",
        "disk=/dev/${disk##*/}",
        "label=$(sfdisk --dump \"$disk\" | sed -n 's/^label: *//p')",
        "if [ \"$label\" = gpt ]; then",
        "  " + sfdisk + " --relocate gpt-bak-std \"$disk\"",
        "fi",
        "echo ',+' | " + sfdisk + " -N \"$num\" \"$disk\"",
        "partx -u --nr \"$num\" \"$disk\"",
        "resize2fs \"$part\"",
        "mkdir -p " + DONE.substring(0, DONE.lastIndexOf('/')),
        "touch " + DONE,
        "");
  }

  static void install(Path root) throws IOException {
    TargetFiles.write(root, SCRIPT, script(), "rwxr-xr-x");
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
