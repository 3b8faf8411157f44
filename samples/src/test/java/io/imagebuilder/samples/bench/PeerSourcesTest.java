package io.imagebuilder.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imagebuilder.manifest.api.ManifestRepository;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerSourcesTest {
  private static ManifestRepository repository(String uri, String suite, List<String> components) {
    return new ManifestRepository("r", uri, suite, components, null, "0".repeat(64), null);
  }

  @Test
  void eachRepositoryOurBuildReadIsOneSourceLineForThePeer() {
    assertEquals(
        List.of(
            "deb http://deb.debian.org/debian bookworm main",
            "deb http://deb.debian.org/debian bookworm-updates main",
            "deb http://deb.debian.org/debian-security bookworm-security main contrib"),
        PeerSources.of(
            List.of(
                repository("http://deb.debian.org/debian", "bookworm", List.of("main")),
                repository("http://deb.debian.org/debian", "bookworm-updates", List.of("main")),
                repository(
                    "http://deb.debian.org/debian-security",
                    "bookworm-security",
                    List.of("main", "contrib")))));
  }

  @Test
  void noRepositoryIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> PeerSources.of(List.of()));
  }
}
