package io.imagebuilder.console.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.ImageTypes;
import io.imagebuilder.api.spec.ImageSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubmissionReaderTest {
  private final SubmissionReader reader =
      new SubmissionReader(ImageTypes.standard(), new ObjectMapper());

  private List<Submission> read(String json) {
    return reader.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheSeedsListOfRequests() {
    List<Submission> s =
        read(
            "[{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"package_list\":[\"hello\"],"
                + "\"trigger\":\"ci/1\"},"
                + "{\"image_type\":\"disk\",\"series\":\"trixie\",\"board\":\"qemu-arm64\","
                + "\"trigger\":\"ci/2\"}]");
    assertEquals(2, s.size());
    assertEquals("rootfs", s.get(0).imageType());
    assertEquals("ci/1", s.get(0).trigger());
    assertEquals(List.of("hello"), s.get(0).builder().spec().packages());
    assertEquals("disk", s.get(1).imageType());
    assertEquals("qemu-arm64", s.get(1).builder().spec().board());
    assertEquals("trixie", s.get(1).builder().spec().series());
  }

  @Test
  void readsOneRequestAndAnImageSpec() {
    assertEquals(
        "bookworm",
        read("{\"image_type\":\"rootfs\",\"series\":\"bookworm\"}")
            .get(0)
            .builder()
            .spec()
            .series());

    String specJson =
        io.imagebuilder.api.ImageBuilder.forSeries("trixie").withPackages("curl").spec().toJson();
    Submission s = read(specJson).get(0);
    assertEquals("spec", s.imageType());
    assertEquals(ImageSpec.fromJson(specJson), s.builder().spec());
  }

  @Test
  void anUnknownImageTypeIsRefusedNamingTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> read("{\"image_type\":\"iso\",\"series\":\"bookworm\"}"));
    assertTrue(
        e.getMessage().contains("'iso'") && e.getMessage().contains("rootfs"), e.getMessage());
  }

  @Test
  void anImageSpecMayNotNameHostKeysOrDebs() {
    String withKey =
        io.imagebuilder.api.ImageBuilder.forSeries("bookworm")
            .withPpa("ppa:owner/name", java.nio.file.Path.of("/etc/hostname"))
            .spec()
            .toJson();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(withKey));
    assertTrue(e.getMessage().contains("'/etc/hostname'"), e.getMessage());
  }
}
