package io.imagebuilder.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.internal.hash.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A booted pc-amd64 fixture of bookworm, as a test suite would use one: commands over SSH in the
 * running guest, a file its first boot wrote (the SSH host key, which the image as built does not
 * hold), files copied in and out, and the disk image left exactly as built.
 */
class BootedPcAmd64IT {
  static {
    ItCache.linkSharedPackages();
  }

  @RegisterExtension
  static final BootedFixture VM =
      BootedFixture.of(ImageBuilder.forSeries("bookworm").forBoard("pc-amd64"));

  @Test
  void answersOverSshAsTheFixturesAccountOnX86() throws Exception {
    ExecResult machine = VM.exec("uname", "-m");
    assertEquals(0, machine.exitCode(), machine.stderr());
    assertEquals("x86_64\n", machine.stdout());
    assertEquals(BootedFixture.USER + "\n", VM.exec("id", "-un").stdout());
    ExecResult quoted = VM.exec("sh", "-c", "printf '%s|' \"$@\"; exit 4", "sh", "a b", "it's");
    assertEquals(4, quoted.exitCode());
    assertEquals("a b|it's|", quoted.stdout(), "each word arrives as it was given");
  }

  @Test
  void runsCommandsAsRootThroughSudo() throws Exception {
    ExecResult root = VM.execAsRoot("sh", "-c", "id -u; cat /etc/shadow >/dev/null && echo read");
    assertEquals(0, root.exitCode(), root.stderr());
    assertEquals("0\nread\n", root.stdout(), "root, able to read /etc/shadow");
    assertEquals(1, VM.exec("cat", "/etc/shadow").exitCode(), "the account itself is not root");
  }

  @Test
  void readsTheHostKeyItsFirstBootMadeThatTheImageDidNotHold() throws Exception {
    String hostKey = VM.readString("/etc/ssh/ssh_host_ed25519_key.pub");
    assertTrue(hostKey.startsWith("ssh-ed25519 "), hostKey);
    assertFalse(
        rootDirectoryListing(VM.diskImage(), "/etc/ssh").contains("ssh_host_ed25519_key"),
        "the image as built holds no host key: the guest made it at its first boot");
  }

  @Test
  void filesGoInAndComeOutAndTheDiskImageStaysAsBuilt(@TempDir Path dir) throws Exception {
    byte[] bytes = new byte[70_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    Path in = Files.write(dir.resolve("in.bin"), bytes);
    VM.copyIntoImage(in, "/home/" + BootedFixture.USER + "/in.bin");
    assertEquals(
        "70000\n", VM.exec("stat", "-c", "%s", "/home/" + BootedFixture.USER + "/in.bin").stdout());
    Path out = dir.resolve("out.bin");
    VM.copyFromImage("/home/" + BootedFixture.USER + "/in.bin", out);
    assertArrayEquals(bytes, Files.readAllBytes(out), "the bytes come back as they went in");

    IOException missing = assertThrows(IOException.class, () -> VM.readString("/no/such/file"));
    assertTrue(missing.getMessage().contains("/no/such/file"), missing.getMessage());

    assertEquals(
        VM.diskSha256(),
        Sha256.ofFile(VM.diskImage()),
        "the guest's writes never reach the disk image");
  }

  /**
   * {@code debugfs ls} of {@code dir} in the image's ext4 root partition, read without mounting.
   */
  private static String rootDirectoryListing(Path image, String dir) throws Exception {
    JsonNode partitions =
        new ObjectMapper()
            .readTree(host("sfdisk", "--json", image.toString()))
            .get("partitiontable")
            .get("partitions");
    for (JsonNode p : partitions) {
      String at = image + "?offset=" + p.get("start").asLong() * 512;
      String listing = hostOrNull("debugfs", "-R", "ls " + dir, at);
      if (listing != null && listing.contains("sshd_config")) {
        return listing;
      }
    }
    throw new AssertionError("no partition of " + image + " has " + dir + " with sshd_config");
  }

  private static String host(String... argv) throws Exception {
    String out = hostOrNull(argv);
    if (out == null) {
      throw new AssertionError(String.join(" ", argv) + " failed");
    }
    return out;
  }

  private static String hostOrNull(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0 ? out : null;
  }
}
