package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.api.error.BuildCancelledException;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.error.MissingHostToolException;
import io.imagebuilder.api.error.MissingModuleException;
import io.imagebuilder.api.error.StageFailedException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class ExitCodesTest {
  @Test
  void callerMistakesAreUsageErrors() {
    assertEquals(2, ExitCodes.of(new IllegalArgumentException("invalid PPA 'foo'")));
    assertEquals(
        2, ExitCodes.of(new ParameterException(new CommandLine(new ImageBuilderCli()), "bad")));
  }

  @Test
  void buildFailuresAndMissingModulesAreFailures() {
    assertEquals(1, ExitCodes.of(new ImageBuildException("boom")));
    assertEquals(
        1,
        ExitCodes.of(
            new StageFailedException(
                "rootfs.packages", "ab".repeat(32), new RuntimeException("x"))));
    assertEquals(1, ExitCodes.of(new BuildCancelledException("cancelled")));
    assertEquals(
        1, ExitCodes.of(new MissingHostToolException("disk.ext4", "mkfs.ext4", "e2fsprogs")));
    assertEquals(1, ExitCodes.of(new MissingModuleException("no bootstrap", "image-rootfs")));
  }

  @Test
  void bugsAreFailuresToo() {
    assertEquals(1, ExitCodes.of(new UncheckedIOException(new java.io.IOException("disk full"))));
    assertEquals(1, ExitCodes.of(new NullPointerException()));
  }
}
