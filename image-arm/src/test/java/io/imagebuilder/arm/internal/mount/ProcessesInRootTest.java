package io.imagebuilder.arm.internal.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessesInRootTest {
  @Test
  void matchesTheRootAndBelowOnly() {
    Path root = Path.of("/w/b/rootfs");
    assertTrue(ProcessesInRoot.isInside(Path.of("/w/b/rootfs"), root));
    assertTrue(ProcessesInRoot.isInside(Path.of("/w/b/rootfs/srv/inner"), root));
    assertTrue(ProcessesInRoot.isInside(Path.of("/w/b/rootfs (deleted)"), root));
    assertFalse(ProcessesInRoot.isInside(Path.of("/w/b/rootfs2"), root));
    assertFalse(ProcessesInRoot.isInside(Path.of("/"), root));
  }

  @Test
  void noProcessOfThisHostLivesInAFreshDirectory() {
    assertEquals(List.of(), ProcessesInRoot.find(Path.of("/nonexistent/imagebuilder-root")));
  }
}
