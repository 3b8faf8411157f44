package io.imagebuilder.samples.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.BuildRequest;
import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageTypes;
import io.imagebuilder.api.RunConfiguration;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.boot.BootCheck;
import io.imagebuilder.api.boot.BootResult;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.samples.testing.BoardImages;
import io.imagebuilder.samples.testing.ItBuilds;
import io.imagebuilder.samples.testing.SshLogin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A {@code cloud} image, requested as a service would ({@code {"image_type": "cloud", "series":
 * "bookworm"}} through {@link ImageTypes#standard()} and a run configuration), is a qcow2 that
 * boots under qemu (pc-amd64, UEFI) with a NoCloud seed the test makes: a vfat image labelled
 * CIDATA whose meta-data names a hostname and whose user-data creates the user {@link
 * SshLogin#USER} with the run's public key. Over SSH with that key the guest shows cloud-init done
 * from the NoCloud datasource, the seed's hostname, a root filesystem grown to the larger disk the
 * boot gave it (a per-run overlay), root without a password and sshd refusing passwords; the serial
 * console reached the login prompt. The built image is unchanged by the boot.
 */
class CloudImageIT {
  /** How much larger than the image the booted disk is, for the root to grow into. */
  private static final long GROWTH = 2L << 30;

  private static final String COMMANDS =
      String.join(
          "; ",
          "cloud-init status --wait >/dev/null 2>&1",
          "echo \"status=$(cloud-init status | sed -n 's/^status: //p')\"",
          "echo \"datasource=$(tr -d '\\n' < /run/cloud-init/status.json)\"",
          "echo \"errors=$(sudo -n grep -E 'WARNING|ERROR|Traceback' /var/log/cloud-init.log"
              + " | tail -n 20 | tr '\\n' '|')\"",
          "echo \"hostname=$(hostname)\"",
          "echo \"rootfs=$(df -B1 --output=size / | tail -n 1 | tr -d ' ')\"",
          "echo \"root=$(sudo -n passwd -S root)\"",
          "echo \"sshd=$(sudo -n sshd -T | grep -i '^passwordauthentication ')\"");

  @Test
  void bootsWithANoCloudSeedAndTakesItsUserAndKey() throws Exception {
    Path work = ItBuilds.freshWorkDir("cloud-image");
    BuildRequest request =
        BuildRequest.parseList("{\"image_type\": \"cloud\", \"series\": \"bookworm\"}").get(0);
    long start = System.nanoTime();
    BuildResult result =
        ImageTypes.standard()
            .builderFor(request)
            .build(
                RunConfiguration.into(work.resolve("out"))
                    .withCacheDir(BoardImages.cacheDir())
                    .withStageCache(true));
    Artifact qcow2 =
        result
            .artifact(OutputFormat.QCOW2)
            .orElseThrow(() -> new AssertionError("no qcow2 among " + result.artifacts()));
    Path image = qcow2.file();
    System.out.printf(
        "cloud image built in %.0f s: %s%n", (System.nanoTime() - start) / 1e9, image);

    String info = ItBuilds.host("qemu-img", "info", "--output=json", image.toString());
    assertTrue(info.contains("\"format\": \"qcow2\""), info);
    long virtualSize = number(info, "\"virtual-size\":\\s*(\\d+)");
    String before = sha256(image);
    assertEquals(qcow2.sha256(), before, "the artifact's recorded sha256");

    Path seed = seed(work.resolve("seed.img"), SshLogin.publicKey());
    int port = SshLogin.freePort();
    SshLogin.Answer[] answer = new SshLogin.Answer[1];
    long boot = System.nanoTime();
    BootResult booted =
        BootCheck.of(image, Boards.find("pc-amd64"))
            .accelerator(
                System.getenv("IMAGEBUILDER_TEST_TCG") != null
                    ? BootCheck.Accelerator.TCG
                    : BootCheck.Accelerator.AUTO)
            .timeout(Duration.ofMinutes(15))
            .diskSize(virtualSize + GROWTH)
            .readOnlyDrive(seed)
            .forwardTcp(port, 22)
            .whileRunning(() -> answer[0] = SshLogin.run(port, COMMANDS, Duration.ofMinutes(12)))
            .run();
    System.out.printf(
        "cloud image booted (%s) in %.0f s, login prompt after %s; SSH answered %s after it: %s%n",
        booted.accelerator(),
        (System.nanoTime() - boot) / 1e9,
        booted.timeToLogin().map(Duration::toString).orElse("-"),
        answer[0] == null ? "-" : answer[0].untilAnswered(),
        answer[0] == null ? "" : answer[0].output().strip().replace('\n', '|'));

    assertTrue(booted.reachedLogin(), booted.summary(40));
    assertTrue(
        booted.consoleLines().stream().anyMatch(l -> l.contains("login:")),
        "no login prompt on the serial console");
    for (String line : booted.consoleLines()) {
      assertFalse(line.contains("[FAILED]"), "a unit failed: " + line);
    }
    Map<String, String> found = fields(answer[0].output());
    assertEquals("done", found.get("status"), answer[0].output());
    assertTrue(found.get("datasource").contains("DataSourceNoCloud"), answer[0].output());
    assertEquals("", found.get("errors"), "cloud-init logged warnings or errors");
    assertEquals("cloudy", found.get("hostname"), answer[0].output());
    long rootfs = Long.parseLong(found.get("rootfs"));
    assertTrue(
        rootfs > virtualSize + GROWTH / 2,
        "the root filesystem is "
            + rootfs
            + " bytes, not grown into the "
            + (virtualSize + GROWTH)
            + "-byte disk from the image's "
            + virtualSize);
    // passwd -S: "root L ..." (locked) or "root NP ..." would be no password at all.
    assertTrue(found.get("root").matches("root L .*"), "root's password: " + found.get("root"));
    assertEquals("passwordauthentication no", found.get("sshd").toLowerCase(), found.get("sshd"));

    assertEquals(before, sha256(image), "the boot changed the built image");
  }

  /** A NoCloud seed: a vfat filesystem image labelled CIDATA with meta-data and user-data. */
  private static Path seed(Path file, String publicKey) throws Exception {
    Path dir = Files.createDirectories(file.resolveSibling("seed"));
    Files.writeString(
        dir.resolve("meta-data"),
        "instance-id: imagebuilder-cloud-it\nlocal-hostname: cloudy\n",
        StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("user-data"),
        String.join(
            "\n",
            "#cloud-config",
            "users:",
            "  - name: " + SshLogin.USER,
            "    shell: /bin/bash",
            "    sudo: \"ALL=(ALL) NOPASSWD:ALL\"",
            "    ssh_authorized_keys:",
            "      - " + publicKey,
            ""),
        StandardCharsets.UTF_8);
    ItBuilds.host("mkfs.vfat", "-n", "CIDATA", "-C", file.toString(), "2048");
    ItBuilds.host(
        "mcopy",
        "-i",
        file.toString(),
        dir.resolve("meta-data").toString(),
        dir.resolve("user-data").toString(),
        "::");
    return file;
  }

  private static Map<String, String> fields(String output) {
    Map<String, String> out = new HashMap<>();
    for (String line : output.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        out.putIfAbsent(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
    }
    return out;
  }

  private static long number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new AssertionError("no " + regex + " in " + text);
    }
    return Long.parseLong(m.group(1));
  }

  private static String sha256(Path file) throws Exception {
    return ItBuilds.host("sha256sum", file.toString()).split("\\s+")[0];
  }
}
