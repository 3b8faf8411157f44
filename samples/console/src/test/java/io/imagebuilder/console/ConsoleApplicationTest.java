package io.imagebuilder.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ConsoleApplicationTest {
  @Test
  void launcherOptionsBecomeSpringProperties() {
    assertArrayEquals(
        new String[] {
          "--server.port=9090", "--console.data-dir=/srv/c", "--console.slots=2", "--debug"
        },
        ConsoleApplication.springArguments(
            new String[] {"--port", "9090", "--data-dir=/srv/c", "--slots", "2", "--debug"}));
  }

  @Test
  void anOptionWithoutItsValueIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConsoleApplication.springArguments(new String[] {"--port"}));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("--port"), e.getMessage());
  }
}
