package io.imagebuilder.internal.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.ImageBuildException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostToolsTest {
  @Test
  void aToolIsFoundInTheFixedDirectoriesOnly() {
    Path sh = HostTools.find("sh").orElseThrow();
    assertTrue(sh.isAbsolute());
    assertTrue(
        List.of(HostProcess.PATH.split(":")).contains(sh.getParent().toString()), sh.toString());
  }

  @Test
  void theFirstDirectoryOfThePathWins() throws Exception {
    // the same rule the process's own PATH lookup follows, so the tool checked is the tool run
    String checked = HostTools.require("sh", "dash");
    HostProcess.Result run = HostProcess.of("sh", "-c", "command -v sh").runToEnd();
    assertEquals(checked, run.output());
  }

  @Test
  void aMissingToolNamesItsDebianPackage() {
    assertTrue(HostTools.find("no-such-tool-imagebuilder").isEmpty());
    ImageBuildException e =
        assertThrows(
            ImageBuildException.class,
            () -> HostTools.require("no-such-tool-imagebuilder", "some-package"));
    assertEquals(
        "the host tool 'no-such-tool-imagebuilder' is not installed (install it with: apt-get install -y some-package)",
        e.getMessage());
    assertThrows(
        IllegalStateException.class, () -> HostTools.essential("no-such-tool-imagebuilder", "p"));
  }

  @Test
  void aPathIsNotAToolName() {
    assertThrows(IllegalArgumentException.class, () -> HostTools.find("/bin/sh"));
    assertThrows(IllegalArgumentException.class, () -> HostTools.find(""));
  }
}
