package io.imagebuilder.arm.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxTest {
  private static final String CAPS = SandboxCapabilities.boundingSet();

  private static List<String> command(boolean userns, String wd, boolean network) {
    return Sandbox.commandArgv(
        4242,
        userns,
        wd,
        network,
        List.of("sh", "-c", "echo \"$1\"; rm -rf /", "x; $(reboot)"),
        "/usr/bin/nsenter",
        "/usr/bin/setpriv",
        "/usr/bin/unshare");
  }

  @Test
  void asRootACommandEntersEveryNamespaceDropsCapabilitiesAndTakesTheTargetAsItsRoot() {
    assertEquals(
        List.of(
            "/usr/bin/nsenter",
            "--target=4242",
            "--mount",
            "--pid",
            "--ipc",
            "--uts",
            "--net",
            "--root=/",
            "--",
            "/usr/bin/setpriv",
            "--bounding-set=" + CAPS,
            "--inh-caps=-all",
            "--ambient-caps=-all",
            "--",
            "/usr/bin/unshare",
            "--root=/proc/4242/root",
            "--wd=/var/lib/dpkg",
            "--",
            "sh",
            "-c",
            "echo \"$1\"; rm -rf /",
            "x; $(reboot)"),
        command(false, "/var/lib/dpkg", false));
  }

  @Test
  void aCommandThatAsksForTheNetworkStaysInTheHostsNetworkNamespaceOnly() {
    List<String> withNet = command(false, "/", true);
    assertFalse(withNet.contains("--net"), withNet.toString());
    List<String> without = new ArrayList<>(command(false, "/", false));
    without.remove("--net");
    assertEquals(without, withNet);
  }

  @Test
  void rootlessTheCommandAlsoEntersTheUserNamespace() {
    List<String> argv = command(true, "/", false);
    assertEquals(
        List.of("/usr/bin/nsenter", "--target=4242", "--user", "--mount"), argv.subList(0, 4));
  }

  @Test
  void aRelativeWorkingDirectoryIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> command(false, "tmp", false));
    assertTrue(e.getMessage().contains("'tmp'"), e.getMessage());
  }

  @Test
  void theHolderLivesInNewNamespacesDiesWithItsParentAndHoldsNoMoreCapabilitiesThanACommand()
      throws Exception {
    List<String> root = Sandbox.startArgv(false);
    assertEquals(List.of("--pdeathsig", "KILL"), root.subList(1, 3));
    for (String flag :
        List.of("--mount", "--pid", "--fork", "--kill-child", "--ipc", "--uts", "--net")) {
      assertTrue(root.contains(flag), flag + " missing in " + root);
    }
    assertFalse(root.contains("--user"), root.toString());
    assertTrue(root.contains("--bounding-set=" + CAPS), root.toString());
    assertEquals(List.of("infinity"), root.subList(root.size() - 1, root.size()));

    List<String> rootless = Sandbox.startArgv(true);
    assertTrue(rootless.containsAll(List.of("--user", "--map-auto", "--map-root-user")));
  }
}
