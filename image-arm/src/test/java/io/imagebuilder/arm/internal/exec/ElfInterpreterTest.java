package io.imagebuilder.arm.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.Architecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ElfInterpreterTest {
  /** The host's shell: a dynamically linked executable every Linux host has. */
  private static byte[] hostShell() throws Exception {
    return Files.readAllBytes(Path.of("/bin/sh").toRealPath());
  }

  @Test
  void theHostShellNamesItsDynamicLoader() throws Exception {
    String loader = ElfInterpreter.read(hostShell()).orElseThrow();
    assertTrue(loader.startsWith("/") && loader.contains("ld"), loader);
  }

  @Test
  void anInterpreterIsRewrittenInPlaceAndNothingElseChanges() throws Exception {
    byte[] elf = hostShell();
    byte[] patched = ElfInterpreter.withInterpreter(elf, "/run/ib-native/ld.so");
    assertEquals(Optional.of("/run/ib-native/ld.so"), ElfInterpreter.read(patched));
    assertEquals(elf.length, patched.length);
    int differing = 0;
    for (int i = 0; i < elf.length; i++) {
      differing += elf[i] != patched[i] ? 1 : 0;
    }
    assertTrue(
        differing > 0 && differing <= ElfInterpreter.read(elf).orElseThrow().length(),
        "bytes changed: " + differing);
  }

  @Test
  void aPathLongerThanTheOldOneIsRefusedNamingIt() throws Exception {
    String longPath = "/" + "x".repeat(300);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ElfInterpreter.withInterpreter(hostShell(), longPath));
    assertTrue(
        e.getMessage().startsWith("invalid interpreter path '" + longPath + "' (expected at most"),
        e.getMessage());
  }

  @Test
  void staticExecutablesAndOtherFilesHaveNone() {
    assertEquals(
        Optional.empty(), ElfInterpreter.read(ElfExitBinary.forArchitecture(Architecture.ARM64)));
    assertEquals(
        Optional.empty(), ElfInterpreter.read(ElfExitBinary.forArchitecture(Architecture.ARMHF)));
    assertEquals(
        Optional.empty(), ElfInterpreter.read("#!/bin/sh\nexit 0\n".repeat(10).getBytes()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ElfInterpreter.withInterpreter(
                ElfExitBinary.forArchitecture(Architecture.ARM64), "/x"));
  }
}
