package io.imagebuilder.console.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.console.build.ArtifactView;
import io.imagebuilder.console.build.BuildStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mail about a build that ended. */
class BuildMailTest {
  @TempDir Path dir;

  @Test
  void aSuccessNamesTheBuildLinksItAndListsTheArtifactsSha256() {
    BuildMail m =
        BuildMail.of(
            WebhooksTest.build(
                BuildStatus.SUCCEEDED,
                List.of(new ArtifactView("rootfs.tar.zst", "tar.zst", 1, "e3b0c4", null)),
                null,
                null),
            new NotifySettings(java.net.URI.create("https://ib.example.org/"), null, null)
                .buildUrl("b-42"),
            List.of("not quoted"));
    assertEquals("[imagebuilder] build b-42 succeeded (bookworm amd64 rootfs)", m.subject());
    assertTrue(m.text().contains("https://ib.example.org/builds/b-42\n"), m.text());
    assertTrue(m.text().contains("rootfs.tar.zst  sha256 e3b0c4"), m.text());
    assertFalse(m.text().contains("not quoted") || m.text().contains("Failed stage"), m.text());
  }

  @Test
  void aFailureHasTheStageTheErrorAndTheLogsLastTwentyLines() throws Exception {
    Path log = dir.resolve("build.log");
    Files.write(log, IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).toList());
    List<String> tail = BuildMail.lastLines(log, BuildMail.LOG_LINES);
    assertEquals(IntStream.rangeClosed(11, 30).mapToObj(i -> "line " + i).toList(), tail);

    BuildMail m =
        BuildMail.of(
            WebhooksTest.build(BuildStatus.FAILED, List.of(), "no package 'nope'", "packages"),
            "http://localhost:8080/builds/b-42",
            tail);
    assertEquals("[imagebuilder] build b-42 failed (bookworm amd64 rootfs)", m.subject());
    assertTrue(m.text().contains("Failed stage: packages\nError: no package 'nope'\n"), m.text());
    assertTrue(m.text().contains("  line 11\n") && m.text().endsWith("  line 30\n"), m.text());
    assertFalse(m.text().contains("line 10\n"), m.text());
    assertEquals(List.of(), BuildMail.lastLines(dir.resolve("none.log"), 20));
  }
}
