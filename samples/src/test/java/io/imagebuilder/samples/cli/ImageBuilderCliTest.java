package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageBuilderCliTest {
  @Test
  void helpListsTheCommandsAndExitCodes() {
    CliRun run = CliRun.run("--help");
    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    for (String word : new String[] {"build", "plan", "boards", "Exit codes:", "usage error"}) {
      assertTrue(run.out().contains(word), word + " in " + run);
    }
  }

  @Test
  void buildHelpDocumentsTheRepositorySyntax() {
    CliRun run = CliRun.run("build", "--help");
    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    assertTrue(run.out().contains("--repo=NAME=URI|SUITE|COMPONENTS|KEYFILE"), run.out());
    assertTrue(run.out().contains("'unsigned'"), run.out());
  }

  @Test
  void versionNamesTheTool() {
    CliRun run = CliRun.run("--version");
    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    assertTrue(run.out().startsWith("imagebuilder " + VersionProvider.version()), run.out());
  }

  @Test
  void noCommandIsAUsageError() {
    CliRun run = CliRun.run();
    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertTrue(
        run.err()
            .startsWith(
                "imagebuilder: missing command (expected build, plan, boards, lookup, images, manifest, boot, cache or help)"),
        run::toString);
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    CliRun run = CliRun.run("bild");
    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().contains("'bild'"), run::toString);
  }
}
