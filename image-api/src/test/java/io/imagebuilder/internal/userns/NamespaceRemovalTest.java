package io.imagebuilder.internal.userns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NamespaceRemovalTest {
  @Test
  void rootNeedsNoNamespaceAndAUserWithARangeGetsRmInOneWithTheBuildsMap() throws Exception {
    Optional<List<String>> argv = NamespaceRemoval.argv(Path.of("/var/tmp/x/../tree"));
    if (SubordinateRanges.effectiveUid() == 0 || SubordinateRanges.forThisProcess().isEmpty()) {
      assertTrue(argv.isEmpty(), "no namespace for root or a user without a range: " + argv);
      return;
    }
    assumeTrue(argv.isPresent(), "unshare or rm missing");
    List<String> a = argv.get();
    assertEquals(
        List.of("--user", "--map-auto", "--map-root-user", "--"), a.subList(1, 5), a.toString());
    assertEquals(List.of("-rf", "--one-file-system", "--", "/var/tmp/x/../tree"), a.subList(6, 10));
  }
}
