package io.imagebuilder.testing.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GuestSshTest {
  @Test
  void eachWordReachesTheShellAsItWasGiven() throws Exception {
    List<String> words = List.of("a b", "it's", "$HOME", "`id`", "\"q\"", "", "back\\slash");
    String command =
        "printf '%s\\n' " + words.stream().map(GuestSsh::quote).collect(Collectors.joining(" "));
    Process p = new ProcessBuilder("sh", "-c", command).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertEquals(String.join("\n", words) + "\n", out);
  }

  @Test
  void aNulCharacterIsRefusedNamingTheWord() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GuestSsh.quote("a\0b"));
    assertTrue(e.getMessage().contains("a\\0b"), e.getMessage());
  }
}
