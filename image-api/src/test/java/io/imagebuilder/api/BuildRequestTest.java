package io.imagebuilder.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.spec.Ppa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildRequestTest {
  private static final String REQUESTS =
      """
      [
        {"image_type": "rootfs", "series": "bookworm", "ppa_list": [],
         "package_list": ["openssh-server", "curl"], "trigger": "ci-42", "arch": "arm64"},
        {"image_type": "rootfs", "image": "/srv/base/bookworm.tar.zst", "series": "trixie",
         "package_list": [], "trigger": "ci-43"}
      ]
      """;

  @Test
  void mapsEachRequestToASpec() {
    List<BuildRequest> requests = BuildRequest.parseList(REQUESTS);
    assertEquals(2, requests.size());
    ImageBuilder first = ImageTypes.standard().builderFor(requests.get(0));
    ImageSpec spec = first.spec();
    assertEquals("bookworm", spec.series());
    assertEquals(List.of("curl", "openssh-server"), spec.packages());
    assertEquals("arm64", spec.architecture().debianName());
    assertEquals(List.of(OutputFormat.TAR_ZST), spec.outputs());
    ImageSpec second = ImageTypes.standard().builderFor(requests.get(1)).spec();
    assertEquals("/srv/base/bookworm.tar.zst", second.baseImage());
    assertEquals("trixie", second.series());
  }

  @Test
  void ppaListEntriesTakeAFingerprintOrAKeyFileOrNeither(@TempDir Path dir) throws Exception {
    Path key = Files.writeString(dir.resolve("tools.asc"), "a key");
    BuildRequest request = BuildRequest.parseList("""
        {"image_type": "rootfs", "series": "noble", "ppa_list": [
          "ppa:owner/plain", "ppa:owner/pinned=0123456789abcdef0123456789ABCDEF01234567", "ppa:owner/tools=%s"]}
        """.formatted(key)).get(0);

    ImageSpec spec = ImageTypes.standard().builderFor(request).spec();

    assertEquals(List.of(
            new Ppa("ppa:owner/plain", null, null),
            new Ppa("ppa:owner/pinned", "0123456789ABCDEF0123456789ABCDEF01234567", null),
            new Ppa("ppa:owner/tools", null, key.toAbsolutePath().normalize().toString())),
        spec.ppas());
  }

  @Test
  void aPpaKeyFileThatIsNotThereIsRefusedNamingIt() {
    BuildRequest request = BuildRequest.parseList(
        "{\"image_type\":\"rootfs\",\"series\":\"noble\",\"ppa_list\":[\"ppa:o/n=/no/such/key.asc\"]}").get(0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageTypes.standard().builderFor(request));
    assertEquals("invalid key file of ppa:o/n '/no/such/key.asc' (expected a readable file)", e.getMessage());
  }

  @Test
  void aSingleObjectIsAListOfOne() {
    List<BuildRequest> one =
        BuildRequest.parseList("{\"image_type\":\"rootfs\",\"series\":\"sid\",\"trigger\":\"t\"}");
    assertEquals(1, one.size());
    assertEquals("t", one.get(0).trigger());
  }

  @Test
  void anUnknownImageTypeListsTheKnownOnes() {
    BuildRequest touch = BuildRequest.parseList("{\"image_type\":\"touch\",\"series\":\"bookworm\"}").get(0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageTypes.standard().builderFor(touch));
    assertEquals("unknown image_type 'touch' (expected one of disk, rootfs)", e.getMessage());
  }

  @Test
  void aFieldTheTypeDoesNotTakeIsRejected() {
    BuildRequest req =
        BuildRequest.parseList("{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"system-image-channel\":\"edge\"}").get(0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageTypes.standard().builderFor(req));
    assertTrue(e.getMessage().startsWith("unknown field 'system-image-channel' for image_type 'rootfs'"), e.getMessage());
  }

  @Test
  void imageTypesArePluggable() {
    ImageType touch =
        new ImageType() {
          @Override
          public String name() {
            return "touch";
          }

          @Override
          public String description() {
            return "a phone image";
          }

          @Override
          public Set<String> extraFields() {
            return Set.of("system-image-channel");
          }

          @Override
          public void configure(BuildRequest request, ImageBuilder builder) {
            builder.withHostname("phone");
          }
        };
    BuildRequest req =
        BuildRequest.parseList("{\"image_type\":\"touch\",\"series\":\"noble\",\"system-image-channel\":\"edge\"}").get(0);
    ImageSpec spec = ImageTypes.standard().with(touch).builderFor(req).spec();
    assertEquals("phone", spec.hostname());
    assertEquals("noble", spec.series());
  }

  @Test
  void badValuesAreQuoted() {
    BuildRequest ppa =
        BuildRequest.parseList("{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"ppa_list\":[\"foo\"]}").get(0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageTypes.standard().builderFor(ppa));
    assertEquals("invalid PPA 'foo' (expected ppa:owner/name, ppa:owner/name=FINGERPRINT (40 hex digits) or ppa:owner/name=KEYFILE)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BuildRequest.parseList("[{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"package_list\":\"curl\"}]"));
    assertTrue(e.getMessage().startsWith("invalid package_list '\"curl\"' in request [0] (expected a list of strings)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BuildRequest.parseList("[42]"));
    assertTrue(e.getMessage().startsWith("invalid request [0] '42'"), e.getMessage());
  }
}
