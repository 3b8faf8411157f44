package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.internal.io.HostDns;
import io.imagebuilder.internal.io.RootfsPaths;
import io.imagebuilder.internal.io.SafeDelete;
import io.imagebuilder.rootfs.internal.tar.SourceDateEpochClamp;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code rootfs.finalise}: removes what differs between two builds of the same spec or belongs to
 * the build host, so images are reproducible and carry nothing of the builder: logs, apt lists and
 * caches, the ldconfig aux-cache, the D-Bus machine id, the host's resolv.conf, temporary files,
 * dpkg/debconf backups; {@code /etc/machine-id} holds {@code uninitialized}. Then every timestamp
 * is clamped to SOURCE_DATE_EPOCH.
 *
 * <p>The login records base-files' and login's postinsts create ({@code /var/log/wtmp}, {@code
 * btmp}, {@code lastlog}, {@code faillog}) stay, emptied, with their owners and modes: nothing in
 * an image without an init would create them again, and login, last and faillog expect them.
 *
 * <p>SSH host keys: where the image has systemd, which runs a unit this stage installs on first
 * boot, they are removed and made at first boot, so each machine has its own. Without systemd (a
 * minbase tarball for a container or chroot), nothing would make them and sshd would not start: the
 * keys openssh-server's postinst made at build time stay. They are the one intended
 * non-reproducible content of an image; the stage records their paths in the build's provenance
 * (the manifest lists them under {@code build.nonReproducible}).
 *
 * <p>Options ({@link Options}). What it removes is part of its behaviour: a change to the list
 * gives different output for the same options, so it comes with an options field that names it (or
 * a new type name), never a version constant.
 */
final class FinaliseStage implements Stage {
  static final String SSH_KEYGEN_UNIT = "imagebuilder-ssh-host-keys.service";

  /** The login records kept (emptied) under /var/log, as base-files' and login's postinsts make. */
  static final List<String> LOGIN_RECORDS =
      List.of("/var/log/btmp", "/var/log/faillog", "/var/log/lastlog", "/var/log/wtmp");

  /**
   * Besides the rootfs and SOURCE_DATE_EPOCH, what it keeps.
   *
   * @param keptLogs files under /var/log kept, emptied, with their owners and modes
   * @param sshHostKeysWithoutSystemd keep the SSH host keys of an image without systemd (else
   *     removed from every image)
   */
  record Options(List<String> keptLogs, boolean sshHostKeysWithoutSystemd) {
    Options {
      keptLogs = List.copyOf(keptLogs);
    }

    /** What the standard plan uses. */
    static Options standard() {
      return new Options(LOGIN_RECORDS, true);
    }
  }

  private final Options options;

  FinaliseStage(Options options) {
    this.options = options;
  }

  @Override
  public String type() {
    return "rootfs.finalise";
  }

  @Override
  public String summary() {
    return "remove logs, caches, host and machine identity; clamp timestamps";
  }

  @Override
  public Phase phase() {
    return Phase.FINALISE;
  }

  @Override
  public Map<String, Object> options() {
    return StageOptions.of(options);
  }

  @Override
  public void run(StageContext context) throws ImageBuildException {
    // From here on the rootfs is a plain tree: no mounts, no policy-rc.d, nothing running.
    context.executor().release();
    Path root = context.rootfs();
    try {
      removeLogs(root);
      removeFilesUnder(root, "/var/lib/apt/lists");
      removeFilesUnder(root, "/var/cache/apt");
      removeFilesUnder(root, "/tmp");
      removeFilesUnder(root, "/var/tmp");
      for (String file :
          List.of(
              "/var/cache/ldconfig/aux-cache",
              "/var/lib/dbus/machine-id",
              "/var/lib/systemd/random-seed",
              "/var/lib/dpkg/status-old",
              "/var/lib/dpkg/available-old",
              "/var/lib/dpkg/diversions-old",
              "/var/lib/dpkg/statoverride-old",
              "/var/cache/debconf/config.dat-old",
              "/var/cache/debconf/templates.dat-old",
              "/var/cache/debconf/passwords.dat-old")) {
        deleteIfRegular(root, file);
      }
      if (options.sshHostKeysWithoutSystemd() && hasSshd(root) && !hasSystemd(root)) {
        List<String> keys = sshHostKeys(root);
        if (!keys.isEmpty()) {
          context.log("keeping the SSH host keys made at build time (no systemd): " + keys);
          context.addNonReproducible(keys);
        }
      } else {
        removeSshHostKeys(root);
      }
      HostDns.remove(root);
      RootfsFiles.writeText(root, "/etc/machine-id", "uninitialized\n");
    } catch (IOException e) {
      throw new ImageBuildException("cannot finalise the rootfs: " + e.getMessage(), e);
    }
    long epoch = context.requireSourceDateEpoch("the rootfs's timestamps");
    SourceDateEpochClamp.clamp(root, epoch);
  }

  /** Deletes the files under /var/log but the kept ones, which are emptied. */
  private void removeLogs(Path root) throws IOException {
    Set<Path> keep = new HashSet<>();
    for (String log : options.keptLogs()) {
      Path p = RootfsPaths.resolve(root, log);
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        keep.add(p);
        if (Files.size(p) > 0) {
          // truncated in place: owner and mode stay as the postinst set them
          try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
            c.truncate(0);
          }
        }
      }
    }
    SafeDelete.deleteFilesOrThrow(RootfsPaths.resolve(root, "/var/log"), keep);
  }

  private static boolean hasSshd(Path root) throws IOException {
    return Files.exists(RootfsPaths.resolve(root, "/usr/sbin/sshd"), LinkOption.NOFOLLOW_LINKS);
  }

  /** Whether the image's init is systemd (which runs the first-boot key unit). */
  static boolean hasSystemd(Path root) throws IOException {
    for (String init : List.of("/usr/lib/systemd/systemd", "/lib/systemd/systemd")) {
      if (Files.isRegularFile(RootfsPaths.resolveFollowing(root, init))) {
        return true;
      }
    }
    return false;
  }

  /** The image paths of the SSH host keys (private and public), sorted. */
  private static List<String> sshHostKeys(Path root) throws IOException {
    Path sshDir = RootfsPaths.resolve(root, "/etc/ssh");
    List<String> keys = new ArrayList<>();
    if (Files.isDirectory(sshDir, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> found = Files.newDirectoryStream(sshDir, "ssh_host_*")) {
        for (Path key : found) {
          keys.add("/etc/ssh/" + key.getFileName());
        }
      }
    }
    Collections.sort(keys);
    return keys;
  }

  private static void removeSshHostKeys(Path root) throws IOException {
    for (String key : sshHostKeys(root)) {
      Files.delete(RootfsPaths.resolve(root, key));
    }
    if (hasSshd(root)) {
      installSshKeygenUnit(root);
    }
  }

  /** Without host keys sshd does not start; this unit makes them once, before ssh.service. */
  private static void installSshKeygenUnit(Path root) throws IOException {
    String unit = "/etc/systemd/system/" + SSH_KEYGEN_UNIT;
    RootfsFiles.writeText(
        root,
        unit,
        "[Unit]\n"
            + "Description=Generate SSH host keys on first boot\n"
            + "ConditionPathExistsGlob=!/etc/ssh/ssh_host_*_key\n"
            + "Before=ssh.service\n"
            + "\n"
            + "[Service]\n"
            + "Type=oneshot\n"
            + "ExecStart=/usr/bin/ssh-keygen -A\n"
            + "RemainAfterExit=yes\n"
            + "\n"
            + "[Install]\n"
            + "WantedBy=multi-user.target ssh.service\n");
    for (String wants : List.of("multi-user.target.wants", "ssh.service.wants")) {
      Path link = RootfsPaths.resolve(root, "/etc/systemd/system/" + wants + "/" + SSH_KEYGEN_UNIT);
      Files.createDirectories(link.getParent());
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, Path.of(unit));
    }
  }

  private static void deleteIfRegular(Path root, String imagePath) throws IOException {
    Path p = RootfsPaths.resolve(root, imagePath);
    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(p);
    }
  }

  /** Deletes files and symlinks under a directory of the image, keeping the directories. */
  private static void removeFilesUnder(Path root, String imageDir) throws IOException {
    SafeDelete.deleteFilesOrThrow(RootfsPaths.resolve(root, imageDir));
  }
}
