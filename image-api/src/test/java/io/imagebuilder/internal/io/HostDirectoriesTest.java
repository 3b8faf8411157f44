package io.imagebuilder.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostDirectoriesTest {
  @TempDir Path temp;

  @Test
  void refusesTheRootAndSystemDirectories() {
    for (String dir :
        new String[] {
          "/",
          "/etc",
          "/usr",
          "/bin",
          "/boot",
          "/dev",
          "/proc",
          "/sys",
          "/var",
          "/lib",
          "/lib64",
          "/sbin",
          "/root",
          "/home",
          "/usr/lib",
          "/var/lib",
          "/tmp",
          "/etc/../usr"
        }) {
      assertEquals(
          Optional.of("a host system directory"), HostDirectories.refusal(Path.of(dir)), dir);
    }
  }

  @Test
  void refusesWhatIsInsideTheRunningSystem() {
    assertEquals(
        Optional.of("inside the host system directory /etc"),
        HostDirectories.refusal(Path.of("/etc/logs")));
    assertEquals(
        Optional.of("inside the host system directory /proc"),
        HostDirectories.refusal(Path.of("/proc/1/root")));
  }

  @Test
  void followsSymlinks() throws Exception {
    Path link = Files.createSymbolicLink(temp.resolve("out"), Path.of("/etc"));
    assertEquals(Optional.of("a host system directory"), HostDirectories.refusal(link));
    assertEquals(
        Optional.of("inside the host system directory /etc"),
        HostDirectories.refusal(link.resolve("new")));
  }

  @Test
  void acceptsDirectoriesOfUsers() {
    assertEquals(Optional.empty(), HostDirectories.refusal(temp.resolve("out")));
    assertEquals(Optional.empty(), HostDirectories.refusal(Path.of("/home/someone/out")));
    assertEquals(Optional.empty(), HostDirectories.refusal(Path.of("/var/tmp/out")));
    assertEquals(Optional.empty(), HostDirectories.refusal(Path.of("/srv/images/out")));
  }
}
