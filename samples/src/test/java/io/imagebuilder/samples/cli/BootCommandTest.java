package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument checks of {@code boot}; booting itself is proven by image-arm's boot ITs. */
class BootCommandTest {
  @TempDir Path temp;

  @Test
  void aMissingImageIsAUsageError() {
    CliRun run = CliRun.run("boot", temp.resolve("nope.img").toString(), "--board", "pc-amd64");
    assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("invalid image '" + temp.resolve("nope.img") + "'"), run.err());
  }

  @Test
  void anUnknownBoardIsAUsageErrorListingTheKnownOnes() throws Exception {
    Path image = Files.write(temp.resolve("x.img"), new byte[512]);
    CliRun run = CliRun.run("boot", image.toString(), "--board", "no-such-board");
    assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("unknown board 'no-such-board' (expected one of"), run.err());
  }

  @Test
  void aBoardItCannotGuessMustBeGiven() throws Exception {
    Path image = Files.write(temp.resolve("mystery.img"), new byte[512]);
    CliRun run = CliRun.run("boot", image.toString());
    assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("expected --board ID"), run.err());
  }

  @Test
  void aTimeoutMustBePositive() throws Exception {
    Path image = Files.write(temp.resolve("x.img"), new byte[512]);
    CliRun run = CliRun.run("boot", image.toString(), "--board", "pc-amd64", "--timeout", "0");
    assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
    assertTrue(run.err().contains("invalid timeout '0'"), run.err());
  }
}
