package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.internal.process.HostProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserNamespaceRelaunchTest {
  private static final List<String> PROBE =
      List.of(
          "/usr/bin/unshare", "--user", "--map-auto", "--map-root-user", "--mount", "--", "true");

  @Test
  void allToolsThereIsNoProblem() {
    assertEquals(
        Optional.empty(), UserNamespaceRelaunch.missingTools(t -> Optional.of(Path.of("/x", t))));
  }

  @Test
  void missingToolsAreNamedWithTheirPackages() {
    Set<String> present = Set.of("setpriv", "unshare");
    String why =
        UserNamespaceRelaunch.missingTools(
                t -> present.contains(t) ? Optional.of(Path.of("/usr/bin", t)) : Optional.empty())
            .orElseThrow();
    assertEquals(
        "newuidmap, newgidmap not found on the PATH. Fix (as root): apt-get install uidmap", why);
  }

  @Test
  void noToolAtAllNamesBothPackagesOnce() {
    String why = UserNamespaceRelaunch.missingTools(t -> Optional.empty()).orElseThrow();
    assertTrue(why.endsWith("Fix (as root): apt-get install uidmap util-linux"), why);
    assertTrue(why.startsWith("setpriv, unshare, newuidmap, newgidmap not found"), why);
  }

  @Test
  void aFailedProbeGivesItsCommandExitOutputAndTheFixes() {
    HostProcess.Result r =
        new HostProcess.Result(
            1,
            false,
            List.of("unshare: unrecognized option '--map-auto'", "Try 'unshare --help'"),
            Duration.ofMillis(3));
    String why = UserNamespaceRelaunch.probeFailed(PROBE, r);
    assertTrue(
        why.startsWith(
            "/usr/bin/unshare --user --map-auto --map-root-user --mount -- true exited with 1:"
                + " unshare: unrecognized option '--map-auto'; Try 'unshare --help'."),
        why);
    assertTrue(why.contains("util-linux 2.38 or later"), why);
    assertTrue(why.contains("kernel.unprivileged_userns_clone=1"), why);
    assertTrue(why.contains("kernel.apparmor_restrict_unprivileged_userns=0"), why);
  }

  @Test
  void aHangingProbeSaysItTimedOut() {
    HostProcess.Result r = new HostProcess.Result(-1, true, List.of(), Duration.ofSeconds(10));
    assertTrue(
        UserNamespaceRelaunch.probeFailed(PROBE, r)
            .startsWith(
                "/usr/bin/unshare --user --map-auto --map-root-user --mount -- true timed out."));
  }

  @Test
  void theLineSaysWhatStillWorksAndWhatFails() {
    String line = UserNamespaceRelaunch.notRelaunched("newuidmap not found");
    assertTrue(
        line.startsWith(
            "imagebuilder: the build runs without a user namespace of its own: newuidmap not found."),
        line);
    assertTrue(line.contains("minbase tarballs"), line);
    assertTrue(line.contains("fails in rootfs.finalise"), line);
  }

  @Test
  void rootAndANamedExecutorAreNeverRelaunchedNorWarned() throws Exception {
    List<String> reasons = new ArrayList<>();
    assertEquals(
        Optional.empty(),
        UserNamespaceRelaunch.prefix(
            new String[] {"build", "--executor", "rootless"}, reasons::add));
    assertEquals(
        Optional.empty(),
        UserNamespaceRelaunch.prefix(new String[] {"boot", "x.img"}, reasons::add));
    assertEquals(List.of(), reasons);
  }
}
