package io.imagebuilder.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSpecTest {
  private static ImageSpec.Builder bookworm() {
    return ImageSpec.builder("bookworm").architecture(Architecture.ARM64);
  }

  @Test
  void fillsInDefaults() {
    ImageSpec spec = bookworm().build();
    assertEquals(Distribution.DEBIAN, spec.distribution());
    assertEquals(Variant.MINBASE, spec.variant());
    assertEquals("http://deb.debian.org/debian", spec.mirror());
    assertEquals(List.of("main"), spec.components());
    assertEquals("debian", spec.hostname());
    assertEquals(List.of(OutputFormat.TAR_ZST), spec.outputs());
  }

  @Test
  void infersUbuntuAndItsPortsMirror() {
    ImageSpec spec = ImageSpec.builder("noble").architecture(Architecture.ARM64).build();
    assertEquals(Distribution.UBUNTU, spec.distribution());
    assertEquals("http://ports.ubuntu.com/ubuntu-ports", spec.mirror());
    ImageSpec pc = ImageSpec.builder("jammy").architecture(Architecture.AMD64).build();
    assertEquals("http://archive.ubuntu.com/ubuntu", pc.mirror());
  }

  @Test
  void acceptsAnExplicitDistributionForAnUnknownSeries() {
    ImageSpec spec = ImageSpec.builder("debian/duke").architecture(Architecture.AMD64).build();
    assertEquals("duke", spec.series());
    assertEquals(Distribution.DEBIAN, spec.distribution());
  }

  @Test
  void jsonRoundTripIsLossless() {
    ImageSpec spec =
        bookworm()
            .addPackage("openssh-server")
            .addPackage("curl")
            .addExcludedPackage("nano")
            .addPpa(new Ppa("ppa:owner/name", "0123456789ABCDEF0123456789ABCDEF01234567", null))
            .addRepository(
                AptSource.signed(
                    "vendor",
                    "https://example.org/debian",
                    "bookworm",
                    List.of("main"),
                    "/keys/v.asc"))
            .addUser(
                new UserAccount(
                    "pi", List.of("sudo"), true, "$y$j9T$abc", List.of("ssh-ed25519 AAAA me")))
            .addFile(FileEntry.text("/etc/motd", "hello\n"))
            .addHook(new Hook(HookPoint.AFTER_PACKAGES, List.of("true")))
            .addLocalPackage(new LocalPackage("/tmp/x.deb", "a".repeat(64)))
            .hostname("box")
            .sourceDateEpoch(1700000000L)
            .build();
    ImageSpec back = ImageSpec.fromJson(spec.toJson());
    assertEquals(spec, back);
    assertEquals(spec.toCanonicalJson(), back.toCanonicalJson());
    assertEquals(spec.specHash(), back.specHash());
  }

  @Test
  void canonicalJsonHasSortedKeysAndNoWhitespace() throws Exception {
    String json =
        bookworm()
            .addPackage("bb")
            .addPackage("aa")
            .addUser(UserAccount.named("zed"))
            .build()
            .toCanonicalJson();
    assertTrue(!json.contains(" ") && !json.contains("\n"), json);
    assertTrue(json.contains("\"packages\":[\"aa\",\"bb\"]"), json);
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    assertSorted(tree);
  }

  private static void assertSorted(com.fasterxml.jackson.databind.JsonNode node) {
    if (node.isObject()) {
      List<String> keys = new java.util.ArrayList<>();
      node.fieldNames().forEachRemaining(keys::add);
      assertEquals(keys.stream().sorted().toList(), keys, "keys of " + node);
    }
    node.forEach(ImageSpecTest::assertSorted);
  }

  @Test
  void packageOrderAndDuplicatesDoNotChangeTheHash() {
    ImageSpec one = bookworm().addPackage("curl").addPackage("vim").build();
    ImageSpec two = bookworm().addPackage("vim").addPackage("curl").addPackage("curl").build();
    assertEquals(one.specHash(), two.specHash());
    assertNotEquals(one.specHash(), bookworm().addPackage("curl").build().specHash());
  }

  @Test
  void hashIsAKnownFunctionOfTheCanonicalJson() {
    ImageSpec spec = bookworm().build();
    assertEquals(
        com.google.common.hash.Hashing.sha256()
            .hashString(spec.toCanonicalJson(), java.nio.charset.StandardCharsets.UTF_8)
            .toString(),
        spec.specHash());
    assertEquals(64, spec.specHash().length());
  }

  @Test
  void rejectsBadValuesQuotingThem() {
    assertMessage(
        "invalid PPA 'foo' (expected ppa:owner/name, ppa:owner/name=FINGERPRINT (40 hex digits) or ppa:owner/name=KEYFILE)",
        () -> Ppa.parse("foo"));
    assertMessage("invalid series ''", () -> ImageSpec.builder(""));
    assertMessage("invalid package 'bad name!'", () -> bookworm().addPackage("bad name!"));
    assertMessage("invalid hostname 'under_score'", () -> bookworm().hostname("under_score"));
    assertMessage("invalid architecture 'arm65'", () -> Architecture.fromDebianName("arm65"));
    assertMessage("invalid output format 'iso'", () -> OutputFormat.fromExtension("iso"));
    assertMessage("invalid mirror 'ftp://x'", () -> bookworm().mirror("ftp://x"));
    assertMessage("invalid variant 'huge'", () -> Variant.fromId("huge"));
  }

  @Test
  void rawIsTheNameUsersTypeForImgAndMakesTheSameSpec() {
    assertEquals(OutputFormat.RAW, OutputFormat.fromExtension("raw"));
    assertEquals(OutputFormat.RAW_XZ, OutputFormat.fromExtension("raw.xz"));
    assertEquals(OutputFormat.RAW_ZST, OutputFormat.fromExtension("raw.zst"));
    ImageSpec img = bookworm().board("qemu-arm64").outputs(List.of(OutputFormat.RAW)).build();
    ImageSpec raw = ImageSpec.fromJson(img.toJson().replace("\"img\"", "\"raw\""));
    assertEquals(List.of(OutputFormat.RAW), raw.outputs());
    assertEquals(img.specHash(), raw.specHash());
    assertTrue(img.toJson().contains("\"img\"") && !raw.toJson().contains("\"raw\""), raw::toJson);
  }

  @Test
  void diskFormatsNeedABoard() {
    assertMessage(
        "output format 'img' is a disk image and needs a board",
        () -> bookworm().outputs(List.of(OutputFormat.RAW)).build());
  }

  @Test
  void diskOptionsNeedABoardAndAValidSize() {
    assertMessage(
        "disk options DiskOptions[rootFreeSpace=2GiB, growRoot=null] need a board",
        () -> bookworm().rootFreeSpace("2GiB").build());
    assertMessage(
        "invalid root free space '2 GB' (expected a size such as 512MiB or 2GiB)",
        () -> bookworm().board("qemu-arm64").rootFreeSpace("2 GB"));
  }

  @Test
  void diskOptionsRoundTripAndChangeTheHashOnlyWhenSet() {
    ImageSpec plain = bookworm().board("qemu-arm64").architecture(Architecture.ARM64).build();
    ImageSpec sized = plain.toBuilder().rootFreeSpace("2GiB").growRoot(false).build();
    assertNull(plain.disk());
    assertFalse(plain.toCanonicalJson().contains("disk"), plain.toCanonicalJson());
    assertEquals(new DiskOptions("2GiB", false), sized.disk());
    assertEquals(sized, ImageSpec.fromJson(sized.toJson()));
    assertNotEquals(plain.specHash(), sized.specHash());
  }

  @Test
  void aPackageCannotBeBothRequestedAndExcluded() {
    assertMessage(
        "package 'vim' is both requested and excluded",
        () -> bookworm().addPackage("vim").addExcludedPackage("vim").build());
  }

  @Test
  void aSourceNeedsAKeyOrAnExplicitOptIn() {
    assertMessage(
        "source 'vendor' has no key",
        () ->
            new AptSource(
                "vendor",
                "http://example.org",
                "stable",
                List.of("main"),
                null,
                null,
                false,
                false));
    AptSource unsigned =
        new AptSource(
            "vendor", "http://example.org", "stable", List.of("main"), null, null, true, false);
    assertTrue(unsigned.allowUnsigned());
  }

  @Test
  void rejectsUnknownJsonFieldsNamingThem() {
    String json = bookworm().build().toJson().replaceFirst("\\{", "{\"colour\": \"blue\",");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageSpec.fromJson(json));
    assertTrue(e.getMessage().startsWith("unknown field 'colour' in image spec"), e.getMessage());
    assertTrue(e.getMessage().contains("packages"), e.getMessage());
  }

  @Test
  void rejectsBadValuesInJsonQuotingThem() {
    String json =
        "{\"series\":\"bookworm\",\"architecture\":\"amd64\",\"packages\":[\"bad name!\"]}";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageSpec.fromJson(json));
    assertTrue(e.getMessage().contains("invalid package 'bad name!'"), e.getMessage());
    String arch = "{\"series\":\"bookworm\",\"architecture\":\"vax\"}";
    e = assertThrows(IllegalArgumentException.class, () -> ImageSpec.fromJson(arch));
    assertTrue(e.getMessage().contains("'vax'"), e.getMessage());
  }

  @Test
  void aMinimalHandWrittenSpecGetsTheSameDefaults() {
    ImageSpec fromJson = ImageSpec.fromJson("{\"series\":\"bookworm\",\"architecture\":\"arm64\"}");
    assertEquals(bookworm().build(), fromJson);
  }

  @Test
  void aSeriesWithItsDistributionReadsFromJsonAsFromTheBuilder() {
    // The record kept "debian/duke" as the series here, a spec whose seriesRef() and toBuilder()
    // threw, so no image was ever built from one; now it is the builder's spec.
    ImageSpec fromJson =
        ImageSpec.fromJson("{\"series\":\"debian/duke\",\"architecture\":\"amd64\"}");
    ImageSpec built = ImageSpec.builder("debian/duke").architecture(Architecture.AMD64).build();
    assertEquals(built, fromJson);
    assertEquals("duke", fromJson.series());
    assertEquals(built.specHash(), fromJson.specHash());
    assertEquals(built, fromJson.toBuilder().build());
  }

  @Test
  void anExplicitDistributionInJsonIsKeptForAnySeries() {
    ImageSpec spec =
        ImageSpec.fromJson(
            "{\"distribution\":\"ubuntu\",\"series\":\"bookworm\",\"architecture\":\"amd64\"}");
    assertEquals(Distribution.UBUNTU, spec.distribution());
    assertEquals("http://archive.ubuntu.com/ubuntu", spec.mirror());
    assertEquals(spec, ImageSpec.fromJson(spec.toJson()));
  }

  /** The messages JSON errors had when ImageSpec was a record, but for the missing series. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"architecture":"amd64"}                                        | series must be given (got null) in image spec
          {"series":"bookworm"}                                           | architecture must be given (got null) in image spec
          {"series":"bookworm","architecture":"amd64","sourceDateEpoch":-1} | invalid SOURCE_DATE_EPOCH '-1' (expected seconds since 1970, from 0 to 4102444800 = 2100-01-01T00:00:00Z) in image spec
          {"series":"bookworm","architecture":"amd64","sourceDateEpoch":"soon"} | invalid value 'soon' at sourceDateEpoch in image spec (expected Long)
          {"series":"bookworm","architecture":"amd64","keepLocalRepository":"yes"} | invalid value 'yes' at keepLocalRepository in image spec (expected boolean)
          {"series":"bookworm","architecture":"amd64","disk":{"growRoot":true}} | disk options DiskOptions[rootFreeSpace=null, growRoot=true] need a board (expected forBoard(...) or no disk options) in image spec
          {"series":"bookworm","architecture":"amd64","outputs":["img"]}  | output format 'img' is a disk image and needs a board (expected forBoard(...) or a tarball format such as tar.zst) in image spec
          {"series":"bookworm","architecture":"amd64","distribution":"arch"} | invalid distribution 'arch' (expected debian or ubuntu) in image spec
          {"series":"bookworm","architecture":"amd64","board":""}        | invalid board '' (expected a board id or none) in image spec
          {"series":"bookworm","architecture":"amd64","mirrorKey":""}    | invalid mirror key '' (expected the path of an OpenPGP key) in image spec
          {"series":"bookworm","architecture":"amd64","packages":["vim"],"excludedPackages":["vim"]} | package 'vim' is both requested and excluded (expected one or the other) in image spec
          {"series":"bookworm","architecture":"amd64","mirror":"ftp://x"} | invalid mirror 'ftp://x' (expected an http://, https:// or file:/ URL) in image spec
          {"series":"bookworm","architecture":"amd64","hostname":"a_b"}  | invalid hostname 'a_b' (expected 1-63 letters, digits or '-', as in RFC 1123) in image spec
          {"series":"bookworm","architecture":"amd64","ppas":[{"ppa":"foo"}]} | invalid PPA 'foo' (expected ppa:owner/name) in image spec
          {"series":"bookworm","architecture":"amd64","packages":[null]} | each of packages must be given (got null) in image spec
          {"series":"bookworm","architecture":"amd64","variant":"huge"}  | invalid variant 'huge' (expected essential, minbase or standard) in image spec
          {"series":"bookworm","architecture":"amd64","baseImage":" "}   | invalid base image '' (expected a path or URL) in image spec
          {"series":"bookworm","architecture":"amd64","board":"qemu-arm64","disk":{"rootFreeSpace":"2 GB"}} | invalid root free space '2 GB' (expected a size such as 512MiB or 2GiB) in image spec
          {"series":"bookworm","architecture":"amd64","repositories":[{"name":"a","uri":"http://x","suite":"s","components":["main"],"allowUnsigned":true},{"name":"a","uri":"http://y","suite":"s","components":["main"],"allowUnsigned":true}]} | duplicate source name 'a' (expected each source to have its own name) in image spec
          """)
  void jsonErrorsQuoteTheBadValue(String json, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageSpec.fromJson(json));
    assertEquals(message, e.getMessage());
  }

  @Test
  void toStringEqualsAndHashCodeCoverEveryField() throws Exception {
    ImageSpec spec = bookworm().board("qemu-arm64").keepLocalRepository(true).build();
    String text = spec.toString();
    assertTrue(
        text.startsWith(
            "ImageSpec[distribution=debian, series=bookworm, architecture=arm64, board=qemu-arm64,"),
        text);
    int fields = 0;
    for (java.lang.reflect.Field f : ImageSpec.class.getDeclaredFields()) {
      if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
        fields++;
        f.setAccessible(true);
        assertTrue(text.contains(f.getName() + "=" + f.get(spec)), f.getName() + " in " + text);
      }
    }
    assertEquals(
        25, fields, "a new field follows the rule in ImageSpec's Javadoc; then count it here");
    assertEquals(fields, text.split(", (?=[a-zA-Z]+=)").length, text);
    assertNotEquals(spec, spec.toBuilder().keepLocalRepository(false).build());
    assertNotEquals(
        spec.hashCode(), spec.toBuilder().keepLocalRepository(false).build().hashCode());
    assertEquals(spec.hashCode(), spec.toBuilder().build().hashCode());
  }

  @Test
  void theUpdatesAndSecuritySuitesAreOnByDefaultAndWrittenOnlyWhenSwitchedOff() {
    ImageSpec spec = bookworm().build();
    assertTrue(spec.updates() && spec.security());
    assertFalse(spec.toCanonicalJson().contains("updates"), spec.toCanonicalJson());
    assertFalse(spec.toCanonicalJson().contains("security"), spec.toCanonicalJson());
    ImageSpec off = bookworm().updates(false).security(false).build();
    assertTrue(off.toCanonicalJson().contains("\"security\":false"), off.toCanonicalJson());
    assertTrue(off.toCanonicalJson().contains("\"updates\":false"), off.toCanonicalJson());
    assertEquals(off, ImageSpec.fromJson(off.toJson()));
    assertEquals(off, off.toBuilder().build());
    assertNotEquals(spec.specHash(), off.specHash());
    assertNotEquals(spec.specHash(), bookworm().security(false).build().specHash());
    assertEquals(
        spec,
        ImageSpec.fromJson(
            spec.toJson().replaceFirst("\\{", "{\"updates\": true, \"security\": true,")));
  }

  @Test
  void everyFieldHasAnAccessorAndAJsonSetterOfItsName() throws Exception {
    for (java.lang.reflect.Field f : ImageSpec.class.getDeclaredFields()) {
      if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      String name = f.getName();
      var accessor = ImageSpec.class.getMethod(name);
      assertEquals(f.getType(), accessor.getReturnType(), name);
      assertEquals(
          name,
          accessor.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class).value(),
          name);
      String setter = "json" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
      var json =
          java.util.Arrays.stream(ImageSpec.Builder.class.getDeclaredMethods())
              .filter(m -> m.getName().equals(setter))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no " + setter + " in ImageSpec.Builder"));
      assertEquals(
          name,
          json.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class).value(),
          setter);
    }
  }

  @Test
  void aBuilderUsedAgainDoesNotChangeSpecsItBuilt() {
    ImageSpec.Builder builder = bookworm().addPackage("curl");
    ImageSpec first = builder.build();
    builder.addPackage("vim").hostname("other");
    assertEquals(List.of("curl"), first.packages());
    assertEquals("debian", first.hostname());
    ImageSpec.Builder copy = first.toBuilder();
    copy.addPackage("zsh");
    assertEquals(List.of("curl"), first.packages());
    assertEquals(List.of("curl", "zsh"), copy.build().packages());
    assertThrows(UnsupportedOperationException.class, () -> first.packages().add("x"));
  }

  static void assertMessage(String expectedStart, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().startsWith(expectedStart), () -> "message was: " + e.getMessage());
  }
}
