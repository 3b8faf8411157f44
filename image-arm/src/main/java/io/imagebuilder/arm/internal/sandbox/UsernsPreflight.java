package io.imagebuilder.arm.internal.sandbox;

import io.imagebuilder.internal.userns.SubordinateRanges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * What a rootless build needs from the host, each missing piece as a message with its cause and the
 * exact fix: unprivileged user namespaces allowed (Debian's {@code
 * kernel.unprivileged_userns_clone}, {@code user.max_user_namespaces}, Ubuntu's AppArmor {@code
 * kernel.apparmor_restrict_unprivileged_userns}), a subordinate uid and gid range for the user, and
 * the setuid {@code newuidmap} and {@code newgidmap}. Reads files below {@code host} (the real
 * {@code /} in a build, a fixture directory in tests), so it runs before any download.
 */
public final class UsernsPreflight {
  private final Path host;

  /**
   * @param host the directory standing for {@code /}
   */
  public UsernsPreflight(Path host) {
    this.host = host;
  }

  /** The problems for {@code user} (host id {@code uid}); empty when a sandbox can start. */
  public List<String> problems(String user, long uid) throws IOException {
    List<String> out = new ArrayList<>();
    String clone = read("proc/sys/kernel/unprivileged_userns_clone");
    if ("0".equals(clone)) {
      out.add(
          "unprivileged user namespaces are disabled (/proc/sys/kernel/unprivileged_userns_clone is 0)."
              + " Fix (as root): sysctl -w kernel.unprivileged_userns_clone=1 && echo"
              + " kernel.unprivileged_userns_clone=1 > /etc/sysctl.d/90-imagebuilder-userns.conf");
    }
    String max = read("proc/sys/user/max_user_namespaces");
    if ("0".equals(max)) {
      out.add(
          "user namespaces are disabled (/proc/sys/user/max_user_namespaces is 0)."
              + " Fix (as root): sysctl -w user.max_user_namespaces=15000 && echo"
              + " user.max_user_namespaces=15000 > /etc/sysctl.d/90-imagebuilder-userns.conf");
    }
    String apparmor = read("proc/sys/kernel/apparmor_restrict_unprivileged_userns");
    if ("1".equals(apparmor)) {
      out.add(
          "AppArmor restricts unprivileged user namespaces"
              + " (/proc/sys/kernel/apparmor_restrict_unprivileged_userns is 1, as on Ubuntu 23.10 and later)."
              + " Fix (as root): sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 && echo"
              + " kernel.apparmor_restrict_unprivileged_userns=0 > /etc/sysctl.d/90-imagebuilder-userns.conf");
    }
    for (String file : List.of("subuid", "subgid")) {
      if (SubordinateRanges.first(host.resolve("etc").resolve(file), user, uid).isEmpty()) {
        out.add(
            "the user "
                + user
                + " has no subordinate "
                + (file.equals("subuid") ? "uid" : "gid")
                + " range in /etc/"
                + file
                + " (the rootless build maps the owners of the image's files"
                + " into it). Fix (as root): usermod --add-sub"
                + file.substring(3)
                + "s 100000-165535 "
                + user);
      }
    }
    for (String tool : List.of("newuidmap", "newgidmap")) {
      Path found = find(tool);
      if (found == null) {
        out.add(
            tool
                + " is missing (it maps the subordinate range into the build's user namespace)."
                + " Fix (as root): apt-get install -y uidmap");
      } else if (!setuidRoot(found)) {
        out.add(
            found
                + " is not setuid root (it cannot map the subordinate range for an ordinary user)."
                + " Fix (as root): chown root:root "
                + found
                + " && chmod u+s "
                + found
                + " (or apt-get install --reinstall -y uidmap)");
      }
    }
    return out;
  }

  private Path find(String tool) {
    for (String dir :
        List.of("usr/local/sbin", "usr/local/bin", "usr/sbin", "usr/bin", "sbin", "bin")) {
      Path p = host.resolve(dir).resolve(tool);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  private static boolean setuidRoot(Path p) throws IOException {
    PosixFileAttributes a =
        Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    return a.isRegularFile() && (mode & 04000) != 0 && uid == 0;
  }

  /**
   * The stripped text of {@code host/rel}, null when there is no such file (the kernel lacks the
   * knob).
   */
  private String read(String rel) throws IOException {
    try {
      return Files.readString(host.resolve(rel)).strip();
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
