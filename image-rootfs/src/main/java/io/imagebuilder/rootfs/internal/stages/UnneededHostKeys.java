package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.internal.io.RootfsPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Keeps openssh-server's postinst from making SSH host keys that the build throws away. In an image
 * with systemd, {@link FinaliseStage} deletes every {@code /etc/ssh/ssh_host_*} and installs a unit
 * that makes them at first boot, so each machine has keys of its own; the keys made at build time
 * only cost time, the RSA one 6-10 s under qemu-user.
 *
 * <p>The postinst makes a key only where no regular file of its name exists. So, when a transaction
 * newly installs openssh-server into a target that has systemd and no host key, a dpkg hook ({@code
 * --pre-invoke}, run before each of apt's dpkg runs) puts an empty file at each default key's path
 * once sshd is unpacked, and {@link #removePlaceholders} deletes the empty ones after apt (a key is
 * never empty). The image is the same as without it: finalise would have deleted those keys. Only a
 * customise hook that removes systemd after the packages stage (so that finalise keeps the keys)
 * would see a difference: that image has no host keys, and finalise's first-boot unit is not
 * installed either.
 */
final class UnneededHostKeys {
  static final List<String> KEYS =
      List.of(
          "/etc/ssh/ssh_host_rsa_key",
          "/etc/ssh/ssh_host_ecdsa_key",
          "/etc/ssh/ssh_host_ed25519_key");

  /** The hook's file, in the directory of the repacked .debs (removed with it). */
  static final String HOOK = "host-key-placeholders.sh";

  private UnneededHostKeys() {}

  /**
   * Whether a transaction newly installing {@code newPackages} would make keys finalise deletes:
   * openssh-server among them, systemd in the target, and no host key file there yet.
   */
  static boolean apply(Path root, Set<String> newPackages) throws ImageBuildException {
    try {
      if (!newPackages.contains("openssh-server") || !FinaliseStage.hasSystemd(root)) {
        return false;
      }
      for (String key : KEYS) {
        if (Files.exists(RootfsPaths.resolve(root, key), LinkOption.NOFOLLOW_LINKS)) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new ImageBuildException("cannot look for SSH host keys: " + e.getMessage(), e);
    }
  }

  /**
   * Writes the hook into {@code dir} (the target's {@code debsDir}) and returns the apt options
   * that have dpkg run it.
   */
  static List<String> hook(Path dir, String debsDir) throws ImageBuildException {
    StringBuilder script =
        new StringBuilder(
            "# ImageBuilder: empty host key files, so that openssh-server's postinst makes none"
                + " (finalise deletes them; the image makes its own at first boot)\n"
                + "[ -x /usr/sbin/sshd ] && [ -d /etc/ssh ] || exit 0\n");
    for (String key : KEYS) {
      script.append("[ -e ").append(key).append(" ] || [ -L ").append(key);
      script.append(" ] || : > ").append(key).append('\n');
    }
    try {
      Files.writeString(dir.resolve(HOOK), script, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ImageBuildException("cannot write the host key hook: " + e.getMessage(), e);
    }
    return List.of("-o", "Dpkg::Options::=--pre-invoke=sh " + debsDir + "/" + HOOK);
  }

  /**
   * Deletes the empty key files the hook left.
   *
   * @return their image paths
   */
  static List<String> removePlaceholders(Path root) throws ImageBuildException {
    List<String> removed = new ArrayList<>();
    try {
      for (String key : KEYS) {
        Path file = RootfsPaths.resolve(root, key);
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == 0) {
          Files.delete(file);
          removed.add(key);
        }
      }
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot remove the empty SSH host key files: " + e.getMessage(), e);
    }
    return removed;
  }
}
