package io.imagebuilder.rootfs.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnneededHostKeysTest {
  @TempDir Path root;

  @Test
  void appliesOnlyToAFreshOpensshServerInASystemdTargetWithoutKeys() throws Exception {
    assertFalse(UnneededHostKeys.apply(root, Set.of("openssh-server")), "no systemd");
    Files.createDirectories(root.resolve("usr/lib/systemd"));
    Files.writeString(root.resolve("usr/lib/systemd/systemd"), "elf");
    assertTrue(UnneededHostKeys.apply(root, Set.of("openssh-server", "less")));
    assertFalse(UnneededHostKeys.apply(root, Set.of("less")), "no openssh-server installed");
    Files.createDirectories(root.resolve("etc/ssh"));
    Files.writeString(root.resolve("etc/ssh/ssh_host_ed25519_key"), "a key");
    assertFalse(UnneededHostKeys.apply(root, Set.of("openssh-server")), "a key is there");
  }

  @Test
  void onlyEmptyKeyFilesAreRemoved() throws Exception {
    Files.createDirectories(root.resolve("etc/ssh"));
    Files.writeString(root.resolve("etc/ssh/ssh_host_rsa_key"), "");
    Files.writeString(root.resolve("etc/ssh/ssh_host_ecdsa_key"), "");
    Files.writeString(root.resolve("etc/ssh/ssh_host_ed25519_key"), "a real key");
    assertEquals(
        List.of("/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ecdsa_key"),
        UnneededHostKeys.removePlaceholders(root));
    assertTrue(Files.exists(root.resolve("etc/ssh/ssh_host_ed25519_key")));
    assertFalse(Files.exists(root.resolve("etc/ssh/ssh_host_rsa_key")));
  }

  @Test
  void theHookIsAnAptOptionThatRunsTheScriptInTheTarget() throws Exception {
    List<String> options = UnneededHostKeys.hook(root, "/var/cache/imagebuilder/debs");
    assertEquals(
        List.of(
            "-o",
            "Dpkg::Options::=--pre-invoke=sh /var/cache/imagebuilder/debs/"
                + UnneededHostKeys.HOOK),
        options);
    String script = Files.readString(root.resolve(UnneededHostKeys.HOOK));
    for (String key : UnneededHostKeys.KEYS) {
      assertTrue(script.contains(": > " + key), script);
    }
  }
}
