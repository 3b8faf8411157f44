package io.imagebuilder.arm.internal.bootcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConsoleTextTest {
  @Test
  void gettysPromptIsALoginPromptAndKernelChatterIsNot() {
    assertTrue(ConsoleText.isLoginPrompt("debian login: "));
    assertTrue(ConsoleText.isLoginPrompt("my-host.example login:"));
    assertFalse(ConsoleText.isLoginPrompt("[  OK  ] Started getty@tty1.service - Getty on tty1."));
    assertFalse(ConsoleText.isLoginPrompt("Last login: Sun Nov 22 on ttyS0"));
    assertTrue(
        ConsoleText.isLoginPrompt("vm login: [  164.770039] hrtimer: interrupt took 8279300 ns"));
    assertFalse(ConsoleText.isLoginPrompt("login: nobody"));
  }

  @Test
  void escapeSequencesAndCarriageReturnsAreRemoved() {
    assertEquals(
        "[  OK  ] Reached target multi-user",
        ConsoleText.clean("\u001b[0;32m[  OK  \u001b[0m] Reached target multi-user\r"));
    assertEquals("Booting", ConsoleText.clean("progress 10%\rBooting"));
    assertEquals("debian login: ", ConsoleText.clean("\u001b[?25hdebian login: "));
  }

  @Test
  void kvmFailuresAreRecognised() {
    assertTrue(ConsoleText.isKvmFailure("KVM internal error. Suberror: 1"));
    assertFalse(ConsoleText.isKvmFailure("[    0.000000] kvm-clock: Using msrs 4b564d01"));
  }
}
