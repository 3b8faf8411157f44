package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.event.BuildFinished;
import io.imagebuilder.api.event.CommandOutput;
import io.imagebuilder.api.event.LogLine;
import io.imagebuilder.api.event.Progress;
import io.imagebuilder.api.event.StageFailed;
import io.imagebuilder.api.event.StageFinished;
import io.imagebuilder.api.event.StageStarted;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
  private static final long MIB = 1024 * 1024;
  private static final String DL = "downloading packages";

  private final StringWriter text = new StringWriter();

  private ProgressPrinter printer(boolean terminal, boolean verbose) {
    return new ProgressPrinter(new PrintWriter(text), terminal, verbose, 100);
  }

  /** A bootstrap with downloads and unpacking, then a package stage that fails. */
  private static void play(ProgressPrinter p) {
    p.stageStarted(
        new StageStarted("", "rootfs.bootstrap", "id1", "bootstrap bookworm minbase", 1, 2));
    for (long mib : new long[] {0, 1, 2, 3, 7, 8}) {
      p.progress(new Progress("", "test.stage", DL, Progress.Unit.BYTES, mib * MIB, 8 * MIB));
    }
    p.log(new LogLine("", "test.stage", LogLine.Level.INFO, "verified InRelease of bookworm"));
    p.progress(new Progress("", "test.stage", "unpacking", Progress.Unit.ITEMS, 0, 3));
    p.progress(new Progress("", "test.stage", "unpacking", Progress.Unit.ITEMS, 3, 3));
    p.log(new LogLine("", "test.stage", LogLine.Level.WARNING, "Valid-Until ignored for snapshot"));
    p.stageFinished(new StageFinished("", "rootfs.bootstrap", "id1", Duration.ofMillis(12_300)));
    p.stageStarted(new StageStarted("", "rootfs.packages", "id2", "install openssh-server", 2, 2));
    p.commandOutput(new CommandOutput("", "rootfs.packages", "Setting up openssh-server ..."));
    p.stageFailed(
        new StageFailed(
            "", "rootfs.packages", "id2", Duration.ofSeconds(1), "apt-get exited with 100"));
    p.buildFinished(
        new BuildFinished("", "hash", BuildFinished.Outcome.FAILED, Duration.ofMillis(13_300)));
  }

  @Test
  void plainModePrintsWholeLinesWithProgressMilestonesOnly() {
    play(printer(false, false));
    assertEquals(
        List.of(
            "[1/2] rootfs.bootstrap: bootstrap bookworm minbase",
            "downloading packages: 0% (0.0/8.0 MiB)",
            "downloading packages: 25% (2.0/8.0 MiB)",
            "downloading packages: 75% (7.0/8.0 MiB)",
            "downloading packages: 100% (8.0/8.0 MiB)",
            "verified InRelease of bookworm",
            "unpacking: 0% (0/3)",
            "unpacking: 100% (3/3)",
            "warning: Valid-Until ignored for snapshot",
            "[1/2] rootfs.bootstrap done in 12.3s",
            "[2/2] rootfs.packages: install openssh-server",
            "[2/2] rootfs.packages failed after 1.0s",
            "Build failed after 13.3s"),
        text.toString().lines().toList());
    assertFalse(text.toString().contains("\r"));
  }

  @Test
  void plainModeShowsCommandOutputWhenVerbose() {
    play(printer(false, true));
    assertTrue(
        text.toString()
            .contains(
                System.lineSeparator()
                    + "  | Setting up openssh-server ..."
                    + System.lineSeparator()),
        text.toString());
  }

  @Test
  void plainModeStartsALabelAgainWhenItsCountGoesBack() {
    ProgressPrinter p = printer(false, false);
    p.progress(new Progress("", "test.stage", DL, Progress.Unit.BYTES, 4 * MIB, 8 * MIB));
    p.progress(new Progress("", "test.stage", DL, Progress.Unit.BYTES, 1 * MIB, 8 * MIB));
    p.progress(new Progress("", "test.stage", "files", Progress.Unit.ITEMS, 5, -1));
    p.progress(new Progress("", "test.stage", "files", Progress.Unit.ITEMS, 9, -1));
    assertEquals(
        List.of(
            "downloading packages: 50% (4.0/8.0 MiB)",
            "downloading packages: 0% (1.0/8.0 MiB)", "files: started"),
        text.toString().lines().toList());
  }

  @Test
  void terminalModeRedrawsOneBarLinePerLabel() {
    ProgressPrinter p = printer(true, false);
    p.stageStarted(new StageStarted("", "rootfs.bootstrap", "id1", "bootstrap bookworm", 1, 9));
    p.progress(new Progress("", "test.stage", DL, Progress.Unit.BYTES, 4 * MIB, 8 * MIB));
    String half = "[============>           ]  50% 4.0/8.0 MiB  downloading packages";
    assertEquals(
        "[1/9] rootfs.bootstrap: bootstrap bookworm" + System.lineSeparator() + "\r" + half,
        text.toString());

    // A log line lifts the bar off, prints, and draws the bar again below it.
    p.log(new LogLine("", "test.stage", LogLine.Level.INFO, "verified InRelease"));
    assertTrue(
        text.toString()
            .endsWith(
                "\r"
                    + " ".repeat(half.length())
                    + "\r"
                    + "verified InRelease"
                    + System.lineSeparator()
                    + half),
        text.toString());

    p.progress(new Progress("", "test.stage", DL, Progress.Unit.BYTES, 8 * MIB, 8 * MIB));
    assertTrue(
        text.toString()
            .endsWith(
                "\r[========================] 100% 8.0/8.0 MiB  downloading packages"
                    + System.lineSeparator()),
        text.toString());

    // The bar is finished: a stage line now needs no clearing.
    p.stageStarted(new StageStarted("", "rootfs.packages", "id2", "install curl", 2, 9));
    assertTrue(
        text.toString()
            .endsWith(
                "downloading packages"
                    + System.lineSeparator()
                    + "[2/9] rootfs.packages: install curl"
                    + System.lineSeparator()),
        text.toString());
  }

  @Test
  void terminalModeEndsTheBarOfALabelWhenAnotherStarts() {
    ProgressPrinter p = printer(true, false);
    p.progress(new Progress("", "test.stage", DL, Progress.Unit.BYTES, 1 * MIB, 8 * MIB));
    p.progress(new Progress("", "test.stage", "unpacking", Progress.Unit.ITEMS, 1, 4));
    String out = text.toString();
    assertTrue(out.contains("downloading packages" + System.lineSeparator() + "\r[======>"), out);
    assertTrue(out.endsWith("25% 1/4  unpacking"), out);
  }

  @Test
  void terminalBarsAreCutToTheTerminalWidth() {
    ProgressPrinter p = new ProgressPrinter(new PrintWriter(text), true, false, 50);
    p.progress(
        new Progress(
            "",
            "test.stage",
            "downloading a great many packages from the archive",
            Progress.Unit.ITEMS,
            1,
            2));
    assertEquals(49, text.toString().length() - 1, text.toString()); // minus the leading \r
  }

  @Test
  void itemsAreCountedAndBytesAreSized() {
    ProgressPrinter p = new ProgressPrinter(new PrintWriter(text), false, false, 80);
    p.progress(new Progress("", "test.stage", "unpacking", Progress.Unit.ITEMS, 4, 4));
    p.progress(
        new Progress("", "test.stage", "downloading", Progress.Unit.BYTES, 2 * MIB, 2 * MIB));
    assertTrue(text.toString().contains("(4/4)"), text.toString());
    assertTrue(text.toString().contains("MiB"), text.toString());
  }
}
