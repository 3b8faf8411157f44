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
        {"image_type": "rootfs", "image": "https://images.example/bookworm.tar.zst", "series": "trixie",
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
    assertEquals("https://images.example/bookworm.tar.zst", second.baseImage());
    assertEquals("trixie", second.series());
  }

  @Test
  void ppaListEntriesTakeAFingerprintOrAKeyFileOrNeither(@TempDir Path dir) throws Exception {
    Path key = Files.writeString(dir.resolve("tools.asc"), "a key");
    BuildRequest request =
        BuildRequest.parseList(
                """
        {"image_type": "rootfs", "series": "noble", "ppa_list": [
          "ppa:owner/plain", "ppa:owner/pinned=0123456789abcdef0123456789ABCDEF01234567", "ppa:owner/tools=%s"]}
        """
                    .formatted(key))
            .get(0);

    ImageSpec spec =
        ImageTypes.standard()
            .withPolicy(RequestPolicy.allowingPathsUnder(List.of(dir)))
            .builderFor(request)
            .spec();

    assertEquals(
        List.of(
            new Ppa("ppa:owner/plain", null, null),
            new Ppa("ppa:owner/pinned", "0123456789ABCDEF0123456789ABCDEF01234567", null),
            new Ppa("ppa:owner/tools", null, key.toRealPath().toString())),
        spec.ppas());
  }

  @Test
  void aPpaKeyFileThatIsNotThereIsRefusedNamingIt(@TempDir Path dir) {
    BuildRequest request =
        BuildRequest.parseList(
                "{\"image_type\":\"rootfs\",\"series\":\"noble\",\"ppa_list\":[\"ppa:o/n=%s/key.asc\"]}"
                    .formatted(dir))
            .get(0);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ImageTypes.standard()
                    .withPolicy(RequestPolicy.allowingPathsUnder(List.of(dir)))
                    .builderFor(request));
    assertEquals(
        "invalid local path '"
            + dir
            + "/key.asc' for key file of ppa:o/n (no such file; expected a readable"
            + " file under "
            + dir
            + ")",
        e.getMessage());
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
    BuildRequest touch =
        BuildRequest.parseList("{\"image_type\":\"touch\",\"series\":\"bookworm\"}").get(0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageTypes.standard().builderFor(touch));
    assertEquals(
        "unknown image_type 'touch' (expected one of cloud, disk, rootfs)", e.getMessage());
  }

  @Test
  void aFieldTheTypeDoesNotTakeIsRejected() {
    BuildRequest req =
        BuildRequest.parseList(
                "{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"system-image-channel\":\"edge\"}")
            .get(0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageTypes.standard().builderFor(req));
    assertTrue(
        e.getMessage().startsWith("unknown field 'system-image-channel' for image_type 'rootfs'"),
        e.getMessage());
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
        BuildRequest.parseList(
                "{\"image_type\":\"touch\",\"series\":\"noble\",\"system-image-channel\":\"edge\"}")
            .get(0);
    ImageSpec spec = ImageTypes.standard().with(touch).builderFor(req).spec();
    assertEquals("phone", spec.hostname());
    assertEquals("noble", spec.series());
  }

  @Test
  void badValuesAreQuoted() {
    BuildRequest ppa =
        BuildRequest.parseList(
                "{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"ppa_list\":[\"foo\"]}")
            .get(0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageTypes.standard().builderFor(ppa));
    assertEquals(
        "invalid PPA 'foo' (expected ppa:owner/name, ppa:owner/name=FINGERPRINT (40 hex digits) or ppa:owner/name=KEYFILE)",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BuildRequest.parseList(
                    "[{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"package_list\":\"curl\"}]"));
    assertTrue(
        e.getMessage()
            .startsWith(
                "invalid package_list '\"curl\"' in request [0] (expected a list of strings, got a string)"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> BuildRequest.parseList("[42]"));
    assertTrue(e.getMessage().startsWith("invalid request [0] '42'"), e.getMessage());
  }

  private static IllegalArgumentException refused(String json) {
    return assertThrows(IllegalArgumentException.class, () -> BuildRequest.parseList(json));
  }

  @Test
  void aValueOfTheWrongTypeIsRefusedNamingFieldValueAndType() {
    assertEquals(
        "invalid arch '5' in request (expected a string, got an integer)",
        refused("{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"arch\":5}").getMessage());
    assertEquals(
        "invalid format '{\"a\":1}' in request [0] (expected a string or a list of strings, got an object)",
        refused("[{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"format\":{\"a\":1}}]")
            .getMessage());
    assertEquals(
        "invalid package_list '[\"curl\",7]' in request [1] (expected a list of strings, got a list (entry 1 is an integer))",
        refused(
                "[{\"image_type\":\"rootfs\",\"series\":\"sid\"},"
                    + "{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"package_list\":[\"curl\",7]}]")
            .getMessage());
    assertEquals(
        "invalid series 'true' in request (expected a string, got a boolean)",
        refused("{\"image_type\":\"rootfs\",\"series\":true}").getMessage());
    assertEquals(
        "invalid users '{\"name\":\"x\"}' in request (expected a list of objects, got an object)",
        refused("{\"image_type\":\"rootfs\",\"series\":\"sid\",\"users\":{\"name\":\"x\"}}")
            .getMessage());
    assertEquals(
        "invalid source_date_epoch '\"1700000000\"' in request (expected an integer, got a string)",
        refused(
                "{\"image_type\":\"rootfs\",\"series\":\"sid\",\"source_date_epoch\":\"1700000000\"}")
            .getMessage());
  }

  @Test
  void aFormatListIsAccepted() {
    BuildRequest r =
        BuildRequest.parseList(
                "{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"format\":[\"tar\",\"tar.gz\"]}")
            .get(0);
    assertEquals(
        List.of(OutputFormat.TAR, OutputFormat.TAR_GZ),
        ImageTypes.standard().builderFor(r).spec().outputs());
  }

  @Test
  void aFieldGivenTwiceIsRefused() {
    assertEquals(
        "invalid request JSON at line 1, column 52: field 'series' is given twice (expected each field once)",
        refused("{\"image_type\":\"rootfs\",\"series\":\"bookworm\",\"series\":\"sid\"}")
            .getMessage());
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedNamingTheOffset() {
    byte[] json =
        "{\"image_type\":\"rootfs\",\n\"series\":\"book\u00ffworm\"}"
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BuildRequest.parseList(json));
    assertEquals(
        "invalid request JSON: byte 0xff at offset 38 (line 2) is not UTF-8 (expected UTF-8 text)",
        e.getMessage());
    assertEquals(
        "bookworm",
        BuildRequest.parseList(
                "{\"image_type\":\"rootfs\",\"series\":\"bookworm\"}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .get(0)
            .series());
  }

  @Test
  void brokenJsonIsReportedWithItsPlace() {
    IllegalArgumentException e = refused("{\"image_type\":\"rootfs\",\n \"series\": }");
    assertTrue(
        e.getMessage()
            .startsWith("invalid request JSON at line 2, column 12: Unexpected character ('}'"),
        e.getMessage());
    assertEquals(
        "invalid request JSON at line 1, column 4: text after the end of the value (expected one object or one list)",
        refused("{} {}").getMessage());
  }

  @Test
  void anEmptyRequestListIsAnError() {
    assertEquals(
        "empty request list [] (expected at least one request object)",
        refused(" [ ] ").getMessage());
    assertEquals(
        "empty request JSON (expected a request object or a list of them)",
        refused("  ").getMessage());
  }

  @Test
  void aLongTriggerIsRefusedBeforeItBecomesAFileName() {
    IllegalArgumentException e =
        refused(
            "{\"image_type\":\"rootfs\",\"series\":\"sid\",\"trigger\":\""
                + "t".repeat(300)
                + "\"}");
    assertTrue(e.getMessage().startsWith("invalid trigger 'tttt"), e.getMessage());
    assertTrue(
        e.getMessage()
            .endsWith(
                "(expected at most 128 printable ASCII characters, got 300 characters) in request"),
        e.getMessage());
  }

  @Test
  void aHugePackageListIsRefusedWithAShortMessage() {
    StringBuilder json =
        new StringBuilder("{\"image_type\":\"rootfs\",\"series\":\"sid\",\"package_list\":[");
    for (int i = 0; i < 200_000; i++) {
      json.append(i == 0 ? "" : ",").append("\"package").append(i).append('"');
    }
    IllegalArgumentException e = refused(json.append("]}").toString());
    assertEquals(
        "too many packages in package_list: 200000 (expected at most 10000) in request",
        e.getMessage());
  }
}
