package io.imagebuilder.arm.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.api.exec.Command;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetRootExecutorTest {
  @Test
  void argvIsPassedThroughUntouchedBehindChroot() throws Exception {
    Command c = Command.of("sh", "-c", "echo \"$1\"; rm -rf /", "x; $(reboot)");
    assertEquals(
        List.of(
            "/usr/sbin/chroot", "/w/rootfs", "sh", "-c", "echo \"$1\"; rm -rf /", "x; $(reboot)"),
        TargetRootExecutor.hostArgv(Path.of("/w/rootfs"), c));
  }

  @Test
  void aWorkingDirectoryUsesUnshareToChrootAndChdir() throws Exception {
    Command c = new Command(List.of("ls", "-l"), Map.of(), null, "/var/lib/dpkg");
    assertEquals(
        List.of("/usr/bin/unshare", "--root=/w/rootfs", "--wd=/var/lib/dpkg", "ls", "-l"),
        TargetRootExecutor.hostArgv(Path.of("/w/rootfs"), c));
  }
}
