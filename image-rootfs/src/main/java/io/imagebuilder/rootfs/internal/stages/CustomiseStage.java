package io.imagebuilder.rootfs.internal.stages;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.FileEntry;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.UserAccount;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.internal.io.RootfsPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code rootfs.customise}: host name, user accounts and files of the spec.
 *
 * <p>Options: {@code hostname}, {@code users}, {@code files}. Users are created with {@code
 * useradd} inside the target (home in /home, shell /bin/bash), get their password hash with {@code
 * usermod -p}, supplementary groups, and {@code ~/.ssh/authorized_keys}; a sudo user joins group
 * {@code sudo} (the packages stage installs sudo). Files are written from the host side with their
 * mode, owned by root.
 */
final class CustomiseStage implements Stage {
  /**
   * What the customise stage reads.
   *
   * @param hostname the image's host name
   * @param users the user accounts to create
   * @param files the files to write
   */
  record Options(String hostname, List<UserAccount> users, List<FileEntry> files) {
    Options {
      users = List.copyOf(users);
      files = List.copyOf(files);
    }

    static Options of(ImageSpec spec) {
      return new Options(spec.hostname(), spec.users(), spec.files());
    }
  }

  private final Options spec;

  CustomiseStage(Options options) {
    this.spec = options;
  }

  @Override
  public String type() {
    return "rootfs.customise";
  }

  @Override
  public String summary() {
    return "hostname "
        + spec.hostname()
        + ", "
        + spec.users().size()
        + " user(s), "
        + spec.files().size()
        + " file(s)";
  }

  @Override
  public Phase phase() {
    return Phase.CUSTOMISE;
  }

  @Override
  public Map<String, Object> options() {
    return StageOptions.of(spec);
  }

  @Override
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    Path root = context.rootfs();
    try {
      RootfsFiles.writeText(root, "/etc/hostname", spec.hostname() + "\n");
      RootfsFiles.writeText(root, "/etc/hosts", hosts(spec.hostname()));
      for (UserAccount user : spec.users()) {
        createUser(context, user);
      }
      for (FileEntry file : spec.files()) {
        RootfsFiles.write(root, file.path(), file.content(), file.modeBits());
      }
    } catch (IOException e) {
      throw new ImageBuildException("cannot customise the rootfs: " + e.getMessage(), e);
    }
  }

  static String hosts(String hostname) {
    return "127.0.0.1\tlocalhost\n"
        + "127.0.1.1\t"
        + hostname
        + "\n"
        + "\n"
        + "::1\t\tlocalhost ip6-localhost ip6-loopback\n"
        + "ff02::1\t\tip6-allnodes\n"
        + "ff02::2\t\tip6-allrouters\n";
  }

  private void createUser(StageContext context, UserAccount user)
      throws ImageBuildException, InterruptedException, IOException {
    List<String> groups = new ArrayList<>(user.groups());
    if (user.sudo() && !groups.contains("sudo")) {
      groups.add("sudo");
    }
    List<String> useradd =
        new ArrayList<>(List.of("useradd", "--create-home", "--shell", "/bin/bash"));
    if (!groups.isEmpty()) {
      useradd.add("--groups");
      useradd.add(String.join(",", groups));
    }
    useradd.add(user.name());
    context.run(Command.of(useradd));
    if (user.passwordHash() != null) {
      context.run(Command.of("usermod", "--password", user.passwordHash(), user.name()));
    }
    if (!user.sshAuthorizedKeys().isEmpty()) {
      String home = "/home/" + user.name();
      String keys = String.join("\n", user.sshAuthorizedKeys()) + "\n";
      RootfsFiles.write(
          context.rootfs(),
          home + "/.ssh/authorized_keys",
          keys.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          0600);
      Files.setPosixFilePermissions(
          RootfsPaths.resolve(context.rootfs(), home + "/.ssh"), RootfsFiles.permissions(0700));
      context.run(Command.of("chown", "-R", user.name() + ":", home + "/.ssh"));
    }
  }
}
