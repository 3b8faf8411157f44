package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.BuildResult;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.artifact.Artifact;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.spec.UserAccount;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {
  private static final String SHA_A = "a".repeat(64);
  private static final String SHA_B = "b".repeat(64);

  @Test
  void oneBlockPerArtifactThenTheImageFacts() {
    ImageSpec spec =
        ImageBuilder.forSeries("bookworm")
            .forBoard("qemu-arm64")
            .withOutputs("img", "qcow2")
            .spec();
    Path cwd = Path.of("").toAbsolutePath();
    BuildResult result =
        new BuildResult(
            spec,
            spec.specHash(),
            "c".repeat(64),
            List.of(
                new Artifact(cwd.resolve("out/image.img"), OutputFormat.RAW, 129_394_278L, SHA_A),
                new Artifact(Path.of("/srv/images/image.qcow2"), OutputFormat.QCOW2, 1536, SHA_B)),
            List.of(),
            "qemu-user",
            cwd.resolve("out/image.manifest.json"));

    List<String> lines = Summary.lines(result);
    assertEquals(
        List.of(
            "Output:       out/image.img",
            "Format:       img",
            "Size:         123.4 MiB",
            "sha256:       " + SHA_A,
            "Output:       /srv/images/image.qcow2",
            "Format:       qcow2",
            "Size:         1.5 KiB",
            "sha256:       " + SHA_B,
            "Architecture: arm64",
            "Series:       debian/bookworm",
            "Board:        qemu-arm64",
            "Spec hash:    " + spec.specHash(),
            "Executor:     qemu-user",
            "Manifest:     out/image.manifest.json"),
        lines.subList(0, lines.size() - 1));
    assertTrue(lines.get(lines.size() - 1).startsWith("Launch by running: "), lines::toString);
  }

  @Test
  void aBoardsRawImageEndsWithTheLineThatBootsIt() {
    ImageSpec spec =
        ImageBuilder.forSeries("bookworm").forBoard("qemu-arm64").withOutputs("img").spec();
    BuildResult result =
        new BuildResult(
            spec,
            spec.specHash(),
            "c".repeat(64),
            List.of(new Artifact(Path.of("/srv/qemu.img"), OutputFormat.RAW, 1024, SHA_A)),
            List.of(),
            "qemu-user",
            null);
    List<String> lines = Summary.lines(result);
    String last = lines.get(lines.size() - 1);
    assertTrue(last.startsWith("Launch by running: qemu-system-aarch64 "), last);
    assertTrue(last.contains("/srv/qemu.img"), last);
  }

  @Test
  void anImageWithAnSshServerIsLaunchedWithItsPortForwardedAndTheLineSaysHowToLogIn() {
    ImageSpec spec =
        ImageBuilder.forSeries("bookworm")
            .forBoard("pc-amd64")
            .withPackages("openssh-server")
            .withUser(
                new UserAccount(
                    "alice", List.of(), false, null, List.of("ssh-ed25519 AAAAC3Nza alice@laptop")))
            .withOutputs("img")
            .spec();
    BuildResult result =
        new BuildResult(
            spec,
            spec.specHash(),
            "c".repeat(64),
            List.of(new Artifact(Path.of("/srv/pc.img"), OutputFormat.RAW, 1024, SHA_A)),
            List.of(),
            "native",
            null);
    List<String> lines = Summary.lines(result);
    String last = lines.get(lines.size() - 1);
    assertTrue(
        last.contains(
            " -nic user,model=virtio-net-pci,hostfwd=tcp:127.0.0.1:2222-:22  # host port 2222"
                + " forwards to the image's SSH port 22: ssh -p 2222 alice@localhost"),
        last);
  }

  @Test
  void anImageWithoutAnSshServerForwardsNoPort() {
    ImageSpec spec =
        ImageBuilder.forSeries("bookworm").forBoard("qemu-arm64").withOutputs("img").spec();
    BuildResult result =
        new BuildResult(
            spec,
            spec.specHash(),
            "c".repeat(64),
            List.of(new Artifact(Path.of("/srv/qemu.img"), OutputFormat.RAW, 1024, SHA_A)),
            List.of(),
            "qemu-user",
            null);
    List<String> lines = Summary.lines(result);
    String last = lines.get(lines.size() - 1);
    assertTrue(last.endsWith(" -nic user,model=virtio-net-pci"), last);
    assertFalse(last.contains("hostfwd") || last.contains("ssh"), last);
  }

  @Test
  void noBoardAndNoManifestLeaveTheirLinesOut() {
    ImageSpec spec = ImageBuilder.forSeries("noble").forArchitecture("amd64").spec();
    BuildResult result =
        new BuildResult(
            spec,
            spec.specHash(),
            "c".repeat(64),
            List.of(new Artifact(Path.of("/tmp/x.tar.zst"), OutputFormat.TAR_ZST, 512, SHA_A)),
            List.of(),
            "native",
            null);
    assertEquals(
        List.of(
            "Output:       /tmp/x.tar.zst",
            "Format:       tar.zst",
            "Size:         512 B",
            "sha256:       " + SHA_A,
            "Architecture: amd64",
            "Series:       ubuntu/noble",
            "Spec hash:    " + spec.specHash(),
            "Executor:     native"),
        Summary.lines(result));
  }
}
