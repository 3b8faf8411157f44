package io.imagebuilder.arm.internal.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.BuildRequest;
import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.ImageTypes;
import io.imagebuilder.api.board.Boards;
import io.imagebuilder.api.spec.FileEntry;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.stage.Stage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code cloud} image type against the real boards: a qcow2 for pc-amd64 or qemu-arm64 with
 * cloud-init and its datasource configuration, whose board stages leave out the board's grow-root
 * unit (cloud-init grows the root) and write qcow2.
 */
class CloudImageTypeTest {
  private static final String CONFIG = "/etc/cloud/cloud.cfg.d/91_imagebuilder.cfg";

  private static ImageSpec requested(String json) {
    return ImageTypes.standard().builderFor(BuildRequest.parseList(json).get(0)).spec();
  }

  private static String text(FileEntry f) {
    return new String(Base64.getDecoder().decode(f.contentBase64()), StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pc-amd64", "qemu-arm64"})
  void aCloudRequestIsAQcow2WithCloudInitForItsBoard(String board) {
    ImageSpec spec =
        requested("{\"image_type\":\"cloud\",\"series\":\"bookworm\",\"board\":\"" + board + "\"}");
    assertEquals(board, spec.board());
    assertEquals(Boards.find(board).architecture(), spec.architecture());
    assertEquals(List.of(OutputFormat.QCOW2), spec.outputs());
    assertTrue(
        spec.packages()
            .containsAll(List.of("cloud-init", "cloud-guest-utils", "openssh-server", "sudo")),
        spec.packages().toString());
    FileEntry cfg =
        spec.files().stream().filter(f -> f.path().equals(CONFIG)).findFirst().orElseThrow();
    List<String> lines = text(cfg).lines().toList();
    String datasources =
        lines.stream().filter(l -> l.startsWith("datasource_list:")).findFirst().orElseThrow();
    assertTrue(datasources.matches("datasource_list: \\[ NoCloud, .*, None \\]"), datasources);
    assertTrue(datasources.contains("Ec2") && datasources.contains("OpenStack"), datasources);
    assertTrue(lines.contains("ssh_pwauth: false"), lines.toString());
    assertTrue(lines.contains("disable_root: true"), lines.toString());

    List<Stage> stages = new BoardStageProvider().stages(spec);
    Stage kernel = stages.stream().filter(s -> s.type().equals("board.kernel")).findFirst().get();
    assertEquals(false, kernel.options().get("growRoot"));
    Stage disk = stages.stream().filter(s -> s.type().equals("disk.assemble")).findFirst().get();
    assertEquals(List.of(OutputFormat.QCOW2), disk.produces());
  }

  @Test
  void theRequestTheBuilderMethodAndTheSameSpecFeaturesByHandHashAlike() {
    ImageSpec requested = requested("{\"image_type\":\"cloud\",\"series\":\"bookworm\"}");
    ImageSpec api = ImageBuilder.forSeries("bookworm").asCloudImage("pc-amd64").spec();
    FileEntry cfg =
        requested.files().stream().filter(f -> f.path().equals(CONFIG)).findFirst().orElseThrow();
    ImageSpec byHand =
        ImageBuilder.forSeries("bookworm")
            .forBoard("pc-amd64")
            .withPackages("cloud-init", "cloud-guest-utils", "e2fsprogs", "sudo", "openssh-server")
            .withFile(cfg)
            .withGrowRoot(false)
            .withOutputs(OutputFormat.QCOW2)
            .spec();
    assertEquals(byHand.specHash(), requested.specHash());
    assertEquals(byHand.specHash(), api.specHash());
  }

  @Test
  void anotherBoardOrAFormatIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                requested(
                    "{\"image_type\":\"cloud\",\"series\":\"bookworm\",\"board\":\"raspberrypi-4\"}"));
    assertEquals(
        "invalid board 'raspberrypi-4' for a cloud image (expected one of pc-amd64, qemu-arm64)",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                requested("{\"image_type\":\"cloud\",\"series\":\"bookworm\",\"format\":\"img\"}"));
    assertTrue(
        e.getMessage().startsWith("unknown field 'format' for image_type 'cloud'"), e.getMessage());
  }
}
