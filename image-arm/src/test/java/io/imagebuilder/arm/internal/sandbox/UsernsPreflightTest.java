package io.imagebuilder.arm.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsernsPreflightTest {
  @TempDir Path host;

  private void write(String rel, String text) throws IOException {
    Path p = host.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  /** A host where everything the sandbox reads from files is in place (the tools aside). */
  private void goodHost() throws IOException {
    write("proc/sys/kernel/unprivileged_userns_clone", "1\n");
    write("proc/sys/user/max_user_namespaces", "63000\n");
    write("etc/subuid", "other:200000:65536\nalice:100000:65536\n");
    write("etc/subgid", "1000:100000:65536\n");
  }

  private List<String> problemsFor(String user) throws IOException {
    return new UsernsPreflight(host).problems(user, 1000);
  }

  @Test
  void aGoodHostHasNoProblemButTheMissingTools() throws IOException {
    goodHost();
    List<String> problems = problemsFor("alice");
    assertEquals(
        List.of(
            "newuidmap is missing (it maps the subordinate range into the build's user namespace). Fix (as root): apt-get install -y uidmap",
            "newgidmap is missing (it maps the subordinate range into the build's user namespace). Fix (as root): apt-get install -y uidmap"),
        problems);
  }

  @Test
  void debiansSwitchOffNamesTheSysctlAndItsFix() throws IOException {
    goodHost();
    write("proc/sys/kernel/unprivileged_userns_clone", "0\n");
    String p = problemsFor("alice").get(0);
    assertTrue(
        p.startsWith(
            "unprivileged user namespaces are disabled (/proc/sys/kernel/unprivileged_userns_clone is 0)"),
        p);
    assertTrue(p.contains("sysctl -w kernel.unprivileged_userns_clone=1"), p);
  }

  @Test
  void noNamespacesAtAllNamesMaxUserNamespaces() throws IOException {
    goodHost();
    write("proc/sys/user/max_user_namespaces", "0");
    String p = problemsFor("alice").get(0);
    assertTrue(
        p.contains("/proc/sys/user/max_user_namespaces is 0")
            && p.contains("sysctl -w user.max_user_namespaces=15000"),
        p);
  }

  @Test
  void ubuntusAppArmorRestrictionNamesItsSysctl() throws IOException {
    goodHost();
    write("proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1\n");
    String p = problemsFor("alice").get(0);
    assertTrue(p.startsWith("AppArmor restricts unprivileged user namespaces"), p);
    assertTrue(p.contains("sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"), p);
  }

  @Test
  void aKernelWithoutTheKnobsIsNotAProblem() throws IOException {
    write("etc/subuid", "alice:100000:65536\n");
    write("etc/subgid", "alice:100000:65536\n");
    assertEquals(2, problemsFor("alice").size(), "only the two missing tools");
  }

  @Test
  void aUserWithoutRangeGetsTheUsermodCommand() throws IOException {
    goodHost();
    List<String> problems = problemsFor("bob");
    assertTrue(
        problems.contains(
            "the user bob has no subordinate uid range in /etc/subuid (the rootless build maps the"
                + " owners of the image's files into it). Fix (as root): usermod --add-subuids 100000-165535 bob"),
        problems.toString());
    // bob's uid is 1000 here, and /etc/subgid lists 1000: a range by id counts
    assertTrue(problems.stream().noneMatch(p -> p.contains("/etc/subgid")), problems.toString());
  }

  @Test
  void aDamagedLineIsSkippedNotTrusted() throws IOException {
    goodHost();
    write("etc/subuid", "alice:x:65536\nalice:100000:0\n");
    assertTrue(problemsFor("alice").stream().anyMatch(p -> p.contains("no subordinate uid range")));
  }

  @Test
  void aNewuidmapWithoutSetuidSaysHowToRestoreIt() throws IOException {
    goodHost();
    write("usr/bin/newuidmap", "");
    Files.setPosixFilePermissions(
        host.resolve("usr/bin/newuidmap"), PosixFilePermissions.fromString("rwxr-xr-x"));
    String p = problemsFor("alice").get(0);
    assertTrue(p.startsWith(host.resolve("usr/bin/newuidmap") + " is not setuid root"), p);
    assertTrue(p.contains("chmod u+s"), p);
  }
}
