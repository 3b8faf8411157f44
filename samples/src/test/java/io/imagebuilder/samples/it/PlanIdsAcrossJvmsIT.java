package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stage ids are a function of the spec alone: {@code PlanExample} run from the packaged jar in
 * separate JVMs prints the same ids, and an extra package changes them from the packages stage on,
 * leaving the earlier ones alone.
 */
class PlanIdsAcrossJvmsIT {
  private static final Path JAR = Path.of("target/imagebuilder.jar").toAbsolutePath();

  private static List<String[]> plan(String... extraPackages) throws Exception {
    List<String> argv =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                JAR.toString(),
                "io.imagebuilder.samples.embed.PlanExample"));
    argv.addAll(List.of(extraPackages));
    Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out.lines().map(l -> l.split("  ", 3)).toList();
  }

  @Test
  void theSameSpecGivesTheSameIdsInTwoJvmsAndAPackageChangesThemFromThePackagesStageOn()
      throws Exception {
    List<String[]> first = plan();
    List<String[]> second = plan();
    List<String[]> withCurl = plan("curl");

    assertEquals(
        first.stream().map(s -> s[0] + " " + s[1]).toList(),
        second.stream().map(s -> s[0] + " " + s[1]).toList());
    int packages = first.stream().map(s -> s[1]).toList().indexOf("rootfs.packages");
    assertTrue(packages > 0, "the plan has a packages stage after others");
    for (int i = 0; i < first.size(); i++) {
      assertEquals(first.get(i)[1], withCurl.get(i)[1], "same stage types");
      if (i < packages) {
        assertEquals(first.get(i)[0], withCurl.get(i)[0], first.get(i)[1] + " keeps its id");
      } else {
        assertNotEquals(first.get(i)[0], withCurl.get(i)[0], first.get(i)[1] + " gets a new id");
      }
    }
  }
}
