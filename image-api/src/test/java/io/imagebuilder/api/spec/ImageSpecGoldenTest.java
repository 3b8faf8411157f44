package io.imagebuilder.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spec identity across versions: images already in indexes are named by the hash of their spec's
 * canonical JSON, so for every spec that can be written today that JSON and its hash must stay byte
 * for byte what they were when the files under {@code spec-golden/} were recorded.
 *
 * <p>For each case below, {@code spec-golden/NAME.json} holds its canonical JSON (no trailing
 * newline, so {@code sha256sum -c SHA256SUMS} in that directory checks the recorded hashes
 * independently of this code), {@code NAME.pretty.json} its {@link ImageSpec#toJson()}, and {@code
 * SHA256SUMS} its {@link ImageSpec#specHash()}. {@code spec-golden/input/NAME.json} are specs as
 * people and older tools write them (fields left out, explicit nulls, unsorted and repeated
 * values); each must read to the spec recorded as {@code NAME.json}.
 *
 * <p>A new case is recorded with {@code -Dimagebuilder.specGolden.record=<dir>}, which writes the
 * files of cases that have none in {@code dir} (it never overwrites a recorded file) and then
 * fails, so a recording run is never taken for a passing one.
 */
class ImageSpecGoldenTest {
  private static final String RECORD = "imagebuilder.specGolden.record";
  private static final String FINGERPRINT = "0123456789ABCDEF0123456789ABCDEF01234567";
  private static final String KEY_FINGERPRINT = "89ab cdef 0123 4567 89ab cdef 0123 4567 89ab cdef";
  private static final String SHA_A = "a".repeat(64);
  private static final String SHA_B = "0123456789abcdef".repeat(4);

  /** The specs whose identity is fixed; the name is the file name under spec-golden/. */
  static Map<String, Supplier<ImageSpec>> cases() {
    Map<String, Supplier<ImageSpec>> cases = new LinkedHashMap<>();
    cases.put(
        "minimal-bookworm-amd64",
        () -> ImageSpec.builder("bookworm").architecture(Architecture.AMD64).build());
    cases.put(
        "minimal-bookworm-arm64",
        () -> ImageSpec.builder("bookworm").architecture(Architecture.ARM64).build());
    cases.put(
        "trixie-packages",
        () ->
            ImageSpec.builder("trixie")
                .architecture(Architecture.AMD64)
                .addPackage("openssh-server")
                .addPackage("curl")
                .addPackage("libc6:amd64")
                .addPackage("vim=2:9.1.0016-1")
                .addPackage("curl")
                .build());
    cases.put("everything-bookworm", ImageSpecGoldenTest::everything);
    cases.put(
        "ubuntu-noble-ppas",
        () ->
            ImageSpec.builder("noble")
                .architecture(Architecture.ARM64)
                .addPpa(Ppa.parse("ppa:deadsnakes/ppa"))
                .addPpa(Ppa.parse("ppa:owner/pinned=" + KEY_FINGERPRINT))
                .addPpa(Ppa.parse("ppa:owner/with-file=/keys/owner.asc"))
                .addPpa(Ppa.parse("ppa:owner/hex-file=./0123abcd"))
                .addPackage("python3.13")
                .build());
    cases.put(
        "ubuntu-jammy-amd64-standard",
        () ->
            ImageSpec.builder("jammy")
                .architecture(Architecture.AMD64)
                .variant(Variant.STANDARD)
                .components(List.of("main", "universe", "restricted"))
                .hostname("jammy-box")
                .build());
    cases.put(
        "board-qemu-arm64",
        () ->
            ImageSpec.builder("bookworm")
                .architecture(Architecture.ARM64)
                .board("qemu-arm64")
                .build());
    cases.put(
        "board-raspberrypi-4-disk",
        () ->
            ImageSpec.builder("bookworm")
                .architecture(Architecture.ARM64)
                .board("raspberrypi-4")
                .outputs(List.of(OutputFormat.RAW_XZ, OutputFormat.QCOW2, OutputFormat.TAR_ZST))
                .rootFreeSpace("2GiB")
                .growRoot(false)
                .addPackage("raspi-firmware")
                .addUser(
                    new UserAccount(
                        "pi", List.of("sudo", "video"), true, "$y$j9T$salt$hash", List.of()))
                .sourceDateEpoch(1700000000L)
                .build());
    cases.put(
        "board-pc-amd64-grow-only",
        () ->
            ImageSpec.builder("bookworm")
                .architecture(Architecture.AMD64)
                .board("pc-amd64")
                .outputs(List.of(OutputFormat.RAW))
                .growRoot(true)
                .build());
    cases.put(
        "explicit-distribution-series",
        () ->
            ImageSpec.builder("debian/duke")
                .architecture(Architecture.RISCV64)
                .variant(Variant.ESSENTIAL)
                .mirror("http://snapshot.example.org/debian/")
                .build());
    cases.put(
        "armhf-bullseye-base-image",
        () ->
            ImageSpec.builder("bullseye")
                .architecture(Architecture.ARMHF)
                .baseImage("https://images.example.org/base-armhf.tar.zst")
                .outputs(List.of(OutputFormat.TAR_GZ, OutputFormat.TAR))
                .sourceDateEpoch(0L)
                .build());
    cases.put(
        "local-repository-not-kept",
        () ->
            ImageSpec.builder("bookworm")
                .architecture(Architecture.AMD64)
                .addLocalPackage(new LocalPackage("/srv/debs/tool_1.0_amd64.deb", SHA_B))
                .addPackage("tool")
                .build());
    return cases;
  }

  /** Every field of the spec set, each list with more than one kind of entry. */
  private static ImageSpec everything() {
    return ImageSpec.builder("bookworm")
        .architecture(Architecture.ARM64)
        .board("qemu-arm64")
        .variant(Variant.STANDARD)
        .mirror("https://mirror.example.org/debian")
        .mirrorKey("/keys/mirror.gpg")
        .components(List.of("main", "contrib", "non-free-firmware", "main"))
        .addRepository(
            AptSource.signed(
                "vendor",
                "https://apt.example.org/debian/",
                "bookworm",
                List.of("main", "extra"),
                "/keys/vendor.asc"))
        .addRepository(
            new AptSource(
                "pinned",
                "http://pinned.example.org",
                "stable/updates",
                List.of("main"),
                "/keys/pinned.gpg",
                KEY_FINGERPRINT,
                false,
                false))
        .addRepository(
            new AptSource(
                "snapshot",
                "file:/srv/snapshot",
                "bookworm",
                List.of("main"),
                null,
                null,
                true,
                true))
        .addPpa(new Ppa("ppa:owner/plain", null, null))
        .addPpa(new Ppa("ppa:owner/pinned", FINGERPRINT, null))
        .addPpa(new Ppa("ppa:owner/keyed", null, "/keys/ppa.asc"))
        .addPpa(new Ppa("ppa:owner/both", FINGERPRINT, "/keys/both.asc"))
        .addLocalPackage(new LocalPackage("/tmp/x.deb", SHA_A))
        .addLocalPackage(new LocalPackage("/srv/debs/tool_1.0_arm64.deb", SHA_B))
        .keepLocalRepository(true)
        .addPackage("openssh-server")
        .addPackage("curl")
        .addPackage("linux-image-arm64")
        .addExcludedPackage("nano")
        .addExcludedPackage("man-db")
        .hostname("box-01")
        .addUser(
            new UserAccount(
                "admin",
                List.of("sudo", "adm"),
                true,
                "$y$j9T$abc$def",
                List.of(
                    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI me@host",
                    "ssh-rsa AAAAB3Nza other@host")))
        .addUser(UserAccount.named("guest"))
        .addUser(new UserAccount("svc", List.of(), false, "$6$rounds=5000$salt$hash", List.of()))
        .addFile(FileEntry.text("/etc/motd", "hello\n"))
        .addFile(FileEntry.of("/usr/local/bin/tool", 0755, new byte[] {0, 1, 2, (byte) 0xff, '\n'}))
        .addFile(FileEntry.of("/etc/secret", 0600, new byte[0]))
        .addHook(new Hook(HookPoint.AFTER_BOOTSTRAP, List.of("sh", "-c", "echo 'a b' > /etc/x")))
        .addHook(new Hook(HookPoint.AFTER_PACKAGES, List.of("true")))
        .addHook(new Hook(HookPoint.BEFORE_FINALISE, List.of("/usr/bin/env", "rm", "-f", "/etc/y")))
        .outputs(List.of(OutputFormat.RAW, OutputFormat.TAR_ZST, OutputFormat.RAW_ZST))
        .sourceDateEpoch(1714000000L)
        .baseImage("/images/base.tar.zst")
        .rootFreeSpace("512MiB")
        .growRoot(true)
        .build();
  }

  static Stream<Arguments> named() {
    return cases().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("named")
  void canonicalJsonAndHashAreTheRecordedOnes(String name, Supplier<ImageSpec> spec) {
    ImageSpec built = spec.get();
    assertEquals(golden(name + ".json"), built.toCanonicalJson(), name);
    assertEquals(hashes().get(name + ".json"), built.specHash(), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("named")
  void prettyJsonIsTheRecordedOne(String name, Supplier<ImageSpec> spec) {
    assertEquals(golden(name + ".pretty.json"), spec.get().toJson(), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("named")
  void recordedJsonReadsBackToTheSameSpec(String name, Supplier<ImageSpec> spec) {
    ImageSpec built = spec.get();
    for (String file : List.of(name + ".json", name + ".pretty.json")) {
      ImageSpec read = ImageSpec.fromJson(golden(file));
      assertEquals(built, read, file);
      assertEquals(built.hashCode(), read.hashCode(), file);
      assertEquals(golden(name + ".json"), read.toCanonicalJson(), file);
      assertEquals(hashes().get(name + ".json"), read.specHash(), file);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("named")
  void toBuilderBuildsTheSameSpec(String name, Supplier<ImageSpec> spec) {
    ImageSpec built = spec.get();
    ImageSpec copy = built.toBuilder().build();
    assertEquals(built, copy, name);
    assertEquals(golden(name + ".json"), copy.toCanonicalJson(), name);
  }

  @Test
  void everyCaseIsADifferentSpec() {
    List<ImageSpec> specs = cases().values().stream().map(Supplier::get).toList();
    for (int i = 0; i < specs.size(); i++) {
      for (int j = 0; j < specs.size(); j++) {
        assertEquals(i == j, specs.get(i).equals(specs.get(j)), i + " vs " + j);
      }
    }
    assertEquals(specs.size(), specs.stream().map(ImageSpec::specHash).distinct().count());
  }

  @Test
  void everyRecordedHashIsTheSha256OfItsFile() {
    Map<String, String> hashes = hashes();
    assertEquals(cases().size(), hashes.size(), "one hash per case: " + hashes.keySet());
    hashes.forEach(
        (file, hash) ->
            assertEquals(
                com.google.common.hash.Hashing.sha256()
                    .hashString(golden(file), StandardCharsets.UTF_8)
                    .toString(),
                hash,
                file));
  }

  static Stream<String> inputs() {
    return Stream.of(
        "minimal-bookworm-amd64",
        "everything-bookworm",
        "ubuntu-noble-ppas",
        "board-raspberrypi-4-disk",
        "explicit-distribution-series");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void handWrittenJsonReadsToTheRecordedSpec(String name) {
    ImageSpec read = ImageSpec.fromJson(golden("input/" + name + ".json"));
    assertEquals(golden(name + ".json"), read.toCanonicalJson(), name);
    assertEquals(cases().get(name).get(), read, name);
  }

  @Test
  void recordsNewCasesOnlyWhenAsked() throws IOException {
    String dir = System.getProperty(RECORD);
    if (dir == null) {
      return;
    }
    Path out = Path.of(dir);
    Files.createDirectories(out);
    Map<String, String> hashes = new TreeMap<>();
    Path sums = out.resolve("SHA256SUMS");
    if (Files.exists(sums)) {
      hashes.putAll(parseSums(Files.readString(sums)));
    }
    for (Map.Entry<String, Supplier<ImageSpec>> c : cases().entrySet()) {
      ImageSpec spec = c.getValue().get();
      writeNew(out.resolve(c.getKey() + ".json"), spec.toCanonicalJson());
      writeNew(out.resolve(c.getKey() + ".pretty.json"), spec.toJson());
      hashes.putIfAbsent(c.getKey() + ".json", spec.specHash());
    }
    StringBuilder text = new StringBuilder();
    hashes.forEach((file, hash) -> text.append(hash).append("  ").append(file).append('\n'));
    Files.writeString(sums, text);
    throw new AssertionError(
        "recorded golden specs into " + out + "; a recording run never passes");
  }

  private static void writeNew(Path file, String text) throws IOException {
    if (!Files.exists(file)) {
      Files.writeString(file, text);
    }
  }

  private static Map<String, String> hashes() {
    return parseSums(golden("SHA256SUMS"));
  }

  private static Map<String, String> parseSums(String text) {
    Map<String, String> out = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        String[] parts = line.split(" {2}", 2);
        assertTrue(
            parts.length == 2 && parts[0].matches("[0-9a-f]{64}"), "SHA256SUMS line: " + line);
        out.put(parts[1], parts[0]);
      }
    }
    return out;
  }

  private static String golden(String file) {
    try (InputStream in = ImageSpecGoldenTest.class.getResourceAsStream("/spec-golden/" + file)) {
      assertNotNull(
          in, "spec-golden/" + file + " is missing (record it from the version that defines it)");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
