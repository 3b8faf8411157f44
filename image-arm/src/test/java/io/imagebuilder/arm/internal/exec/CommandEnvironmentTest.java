package io.imagebuilder.arm.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandEnvironmentTest {
  @Test
  void baseIsFixedAndNothingOfTheHostLeaksIn() {
    Map<String, String> env = CommandEnvironment.build(Map.of(), Map.of());
    assertEquals(
        Map.of(
            "LC_ALL", "C.UTF-8",
            "DEBIAN_FRONTEND", "noninteractive",
            "DEBCONF_NONINTERACTIVE_SEEN", "true",
            "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME", "/root"),
        env);
    // the JVM running this test has variables of its own (PATH at least); none arrives
    assertTrue(System.getenv().containsKey("PATH"));
  }

  @Test
  void commandWinsOverStrategyWinsOverBase() {
    Map<String, String> env =
        CommandEnvironment.build(
            Map.of("QEMU_CPU", "cortex-a72", "HOME", "/strategy"),
            Map.of("QEMU_CPU", "max", "FOO", "bar"));
    assertEquals("max", env.get("QEMU_CPU"));
    assertEquals("/strategy", env.get("HOME"));
    assertEquals("bar", env.get("FOO"));
    assertEquals("C.UTF-8", env.get("LC_ALL"));
  }

  @Test
  void rejectsNamesAndValuesTheKernelCannotCarry() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CommandEnvironment.build(Map.of(), Map.of("A=B", "x")));
    assertTrue(e.getMessage().contains("'A=B'"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> CommandEnvironment.build(Map.of(), Map.of("", "x")));
    assertThrows(
        IllegalArgumentException.class,
        () -> CommandEnvironment.build(Map.of(), Map.of("A", "x\0y")));
  }
}
