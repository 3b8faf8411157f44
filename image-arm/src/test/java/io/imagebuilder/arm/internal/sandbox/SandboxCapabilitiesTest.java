package io.imagebuilder.arm.internal.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxCapabilitiesTest {
  @Test
  void nothingThatReachesTheHostIsKept() {
    for (String c :
        List.of(
            "sys_admin",
            "sys_module",
            "sys_rawio",
            "sys_boot",
            "mknod",
            "sys_time",
            "sys_ptrace",
            "mac_admin",
            "mac_override",
            "syslog",
            "dac_read_search",
            "net_admin")) {
      assertTrue(SandboxCapabilities.NEVER.contains(c), c);
      assertFalse(SandboxCapabilities.KEPT.contains(c), c);
    }
    List<String> both = new ArrayList<>(SandboxCapabilities.KEPT);
    both.retainAll(SandboxCapabilities.NEVER);
    assertEquals(List.of(), both);
  }

  @Test
  void whatDpkgAndMaintainerScriptsNeedIsKept() {
    assertTrue(
        SandboxCapabilities.KEPT.containsAll(
            List.of("chown", "fowner", "dac_override", "setuid", "setgid", "kill", "setfcap")));
  }

  @Test
  void theBoundingSetDropsAllThenAddsBackExactlyWhatIsKept() {
    String set = SandboxCapabilities.boundingSet();
    assertTrue(set.startsWith("-all,"), set);
    List<String> added = new ArrayList<>();
    for (String part : set.substring("-all,".length()).split(",")) {
      assertTrue(part.startsWith("+"), set);
      added.add(part.substring(1));
    }
    assertEquals(SandboxCapabilities.KEPT, added);
  }
}
