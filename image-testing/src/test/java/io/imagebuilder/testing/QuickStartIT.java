package io.imagebuilder.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.api.ImageBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's quick start: a bookworm fixture with {@code hello}, and {@code hello} run inside it.
 */
class QuickStartIT {
  @RegisterExtension
  static final ImageFixture HELLO =
      ImageFixture.of(ImageBuilder.forSeries("bookworm").withPackages("hello"));

  @Test
  void helloGreetsTheWorld() throws Exception {
    ExecResult result = HELLO.exec("hello");
    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals("Hello, world!\n", result.stdout());
  }
}
