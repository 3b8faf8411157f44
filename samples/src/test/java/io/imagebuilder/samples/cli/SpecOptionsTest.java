package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.AptSource;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.DiskOptions;
import io.imagebuilder.api.spec.Distribution;
import io.imagebuilder.api.spec.Hook;
import io.imagebuilder.api.spec.HookPoint;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.spec.LocalPackage;
import io.imagebuilder.api.spec.OutputFormat;
import io.imagebuilder.api.spec.Ppa;
import io.imagebuilder.api.spec.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SpecOptionsTest {
  @TempDir Path dir;

  private static ImageSpec spec(String... args) {
    SpecOptions options = new SpecOptions();
    new CommandLine(options).parseArgs(args);
    return options.toBuilder().spec();
  }

  @Test
  void everyFlagEndsUpInTheSpec() throws Exception {
    Path ppaKey = Files.writeString(dir.resolve("ppa.asc"), "ppa key");
    Path repoKey = Files.writeString(dir.resolve("vendor.asc"), "vendor key");
    Path deb = Files.writeString(dir.resolve("tool_1.0_arm64.deb"), "not inspected by the spec");

    ImageSpec spec =
        spec(
            "--series", "trixie",
            "--arch", "arm64",
            "--variant", "standard",
            "--package", "openssh-server,curl",
            "-p", "vim",
            "--exclude", "nano",
            "--exclude", "less,man-db",
            "--ppa", "ppa:owner/tools=" + ppaKey,
            "--ppa", "ppa:other/things=0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567",
            "--ppa", "ppa:team/plain",
            "--repo", "vendor=https://apt.example.com/debian|trixie|main,contrib|" + repoKey,
            "--repo", "local=http://127.0.0.1:8080/repo|stable|main|unsigned",
            "--local-deb", deb.toString(),
            "--format", "tar.gz,tar.xz",
            "--format", "tar",
            "--hostname", "demo",
            "--mirror", "http://mirror.example/debian",
            "--source-date-epoch", "1700000000");

    assertEquals(Distribution.DEBIAN, spec.distribution());
    assertEquals("trixie", spec.series());
    assertEquals(Architecture.ARM64, spec.architecture());
    assertNull(spec.board());
    assertEquals(Variant.STANDARD, spec.variant());
    assertEquals(List.of("curl", "openssh-server", "vim"), spec.packages());
    assertEquals(List.of("less", "man-db", "nano"), spec.excludedPackages());
    assertEquals(
        List.of(
            new Ppa("ppa:owner/tools", null, ppaKey.toAbsolutePath().toString()),
            new Ppa("ppa:other/things", "0123456789ABCDEF0123456789ABCDEF01234567", null),
            new Ppa("ppa:team/plain", null, null)),
        spec.ppas());
    assertEquals(
        List.of(
            AptSource.signed(
                "vendor",
                "https://apt.example.com/debian",
                "trixie",
                List.of("main", "contrib"),
                repoKey.toAbsolutePath().toString()),
            new AptSource(
                "local",
                "http://127.0.0.1:8080/repo",
                "stable",
                List.of("main"),
                null,
                null,
                true,
                false)),
        spec.repositories());
    String debSha =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(deb)));
    assertEquals(
        List.of(new LocalPackage(deb.toAbsolutePath().toString(), debSha)), spec.localPackages());
    assertEquals(
        List.of(OutputFormat.TAR_GZ, OutputFormat.TAR_XZ, OutputFormat.TAR), spec.outputs());
    assertEquals("demo", spec.hostname());
    assertEquals("http://mirror.example/debian", spec.mirror());
    assertEquals(1700000000L, spec.sourceDateEpoch());
  }

  @Test
  void noUpdatesAndNoSecurityLeaveThoseSuitesOut() {
    ImageSpec spec = spec("--no-updates", "--no-security");
    assertFalse(spec.updates());
    assertFalse(spec.security());
    assertTrue(spec().updates() && spec().security());
  }

  @Test
  void defaultsAreBookwormForTheHostAsATarball() {
    ImageSpec spec = spec();
    assertEquals("bookworm", spec.series());
    assertEquals(Architecture.host(), spec.architecture());
    assertEquals(List.of(OutputFormat.TAR_ZST), spec.outputs());
    assertEquals(Variant.MINBASE, spec.variant());
  }

  @Test
  void aBoardSetsTheArchitectureAndADiskImage() {
    ImageSpec spec = spec("--board", "qemu-arm64", "--series", "debian/forky");
    assertEquals("qemu-arm64", spec.board());
    assertEquals(Architecture.ARM64, spec.architecture());
    assertEquals("forky", spec.series());
    assertEquals(List.of(OutputFormat.RAW), spec.outputs());
  }

  @Test
  void diskOptionsOverrideTheBoards() {
    ImageSpec spec = spec("--board", "qemu-arm64", "--root-free-space", "2GiB", "--no-grow-root");
    assertEquals(new DiskOptions("2GiB", false), spec.disk());
    assertNull(spec("--board", "qemu-arm64").disk());
  }

  @Test
  void anArchitectureThatContradictsTheBoardIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> spec("--board", "qemu-arm64", "--arch", "amd64"));
    assertTrue(e.getMessage().contains("'amd64'"), e.getMessage());
  }

  @Test
  void aRepositoryWithoutFourPartsIsRejectedShowingTheSyntax() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> spec("--repo", "vendor=https://apt.example.com|bookworm"));
    assertEquals(
        "invalid repository 'vendor=https://apt.example.com|bookworm' (expected "
            + "NAME=URI|SUITE|COMPONENTS|KEYFILE, e.g. "
            + "vendor=https://apt.example.com/debian|bookworm|main,contrib|/etc/keys/vendor.asc)",
        e.getMessage());
  }

  @Test
  void aRepositoryKeyThatIsNotAFileIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> spec("--repo", "vendor=https://apt.example.com|bookworm|main|/no/such/key.asc"));
    assertTrue(
        e.getMessage().startsWith("invalid key file '/no/such/key.asc' of repository 'vendor'"),
        e.getMessage());
  }

  @Test
  void aPpaKeyFileThatDoesNotExistIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> spec("--ppa", "ppa:owner/tools=/no/such/key.asc"));
    assertTrue(e.getMessage().contains("'/no/such/key.asc'"), e.getMessage());
  }

  @Test
  void hooksRunTheirShellCommandInTheOrderGivenAndOnlyNetworkHooksGetTheNetwork() {
    ImageSpec spec =
        spec(
            "--hook", "after-packages=echo one > /etc/motd",
            "--network-hook", "after-packages=apt-get download hello",
            "--hook", "before-finalise=rm -f /etc/motd");
    assertEquals(
        List.of(
            new Hook(HookPoint.AFTER_PACKAGES, List.of("/bin/sh", "-c", "echo one > /etc/motd")),
            new Hook(HookPoint.AFTER_PACKAGES, List.of("/bin/sh", "-c", "apt-get download hello"))
                .withNetwork(),
            new Hook(HookPoint.BEFORE_FINALISE, List.of("/bin/sh", "-c", "rm -f /etc/motd"))),
        spec.hooks());
  }

  @Test
  void aHookWithoutPointOrCommandIsRejectedShowingTheSyntax() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> spec("--network-hook", "echo hi"));
    assertEquals(
        "invalid --network-hook 'echo hi' (expected POINT=COMMAND,"
            + " e.g. after-packages='echo hi > /etc/motd')",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> spec("--hook", "after-packages="));
    assertTrue(e.getMessage().startsWith("invalid --hook 'after-packages='"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> spec("--hook", "later=true"));
    assertEquals(
        "invalid hook point 'later' (expected after-bootstrap, after-packages or before-finalise)",
        e.getMessage());
  }

  @Test
  void aSpecFileCannotBeCombinedWithHooks() throws IOException {
    Path file = Files.writeString(dir.resolve("spec.json"), spec().toJson());
    SpecOptions options = new SpecOptions();
    new CommandLine(options)
        .parseArgs("--spec", file.toString(), "--network-hook", "after-packages=true");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, options::targets);
    assertTrue(e.getMessage().contains("cannot be combined with --network-hook"), e.getMessage());
  }

  @Test
  void specAndFlagsCannotBeMixed() throws IOException {
    Path file = Files.writeString(dir.resolve("spec.json"), spec().toJson());
    SpecOptions options = new SpecOptions();
    new CommandLine(options)
        .parseArgs("--spec", file.toString(), "--package", "curl", "--series", "sid");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, options::targets);
    assertEquals(
        "--spec cannot be combined with --series, --package (expected the file to describe the image completely)",
        e.getMessage());
  }

  @Test
  void aSpecFileGivesThatSpec() throws IOException {
    ImageSpec original =
        spec("--series", "noble", "--arch", "arm64", "--package", "curl", "--hostname", "box");
    Path file = Files.writeString(dir.resolve("spec.json"), original.toJson());
    SpecOptions options = new SpecOptions();
    new CommandLine(options).parseArgs("--spec", file.toString());
    List<BuildTarget> targets = options.targets();
    assertEquals(1, targets.size());
    assertNull(targets.get(0).name());
    assertEquals(original, targets.get(0).builder().spec());
  }

  @Test
  void requestsAreNamedByIndexAndTriggerOrImageType() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("requests.json"),
            """
        [{"image_type": "rootfs", "series": "bookworm", "package_list": ["curl"], "trigger": "night/ly build"},
         {"image_type": "rootfs", "series": "noble", "ppa_list": ["ppa:owner/tools"]}]
        """);
    SpecOptions options = new SpecOptions();
    new CommandLine(options).parseArgs("--request", file.toString());
    List<BuildTarget> targets = options.targets();
    assertEquals(
        List.of("0-night_ly_build", "1-rootfs"), targets.stream().map(BuildTarget::name).toList());
    assertEquals(List.of("curl"), targets.get(0).builder().spec().packages());
    assertEquals("noble", targets.get(1).builder().spec().series());
  }

  private static final String LOCK =
      "{\"formatVersion\": 1, \"packages\": [{\"name\": \"hello\", \"version\": \"2.10-3\","
          + " \"architecture\": \"amd64\", \"sha256\": \""
          + "a".repeat(64)
          + "\", \"repository\": \"debian\"}], \"repositories\": [], \"sourceDateEpoch\": 1700000000}";

  @Test
  void aLockFileGoesIntoTheSpecOfFlagsAndSpecFilesButNotRequests() throws IOException {
    Path lockFile = Files.writeString(dir.resolve("image.lock"), LOCK);
    ImageSpec locked = spec("--series", "bookworm", "--lock", lockFile.toString());
    assertEquals("2.10-3", locked.lock().find("hello", "amd64").version());

    Path specFile =
        Files.writeString(dir.resolve("spec.json"), spec("--series", "bookworm").toJson());
    SpecOptions options = new SpecOptions();
    new CommandLine(options)
        .parseArgs("--spec", specFile.toString(), "--lock", lockFile.toString());
    assertEquals(locked.lock(), options.targets().get(0).builder().spec().lock());

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                requestTargets(
                    "{\"image_type\": \"rootfs\", \"series\": \"bookworm\"}",
                    "--lock",
                    lockFile.toString()));
    assertTrue(e.getMessage().contains("--lock cannot be combined with --request"), e.getMessage());

    Path bad = Files.writeString(dir.resolve("bad.lock"), LOCK.replace("2.10-3", "two dot ten"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> spec("--series", "bookworm", "--lock", bad.toString()));
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("'two dot ten'"), e.getMessage());
  }

  @Test
  void aRequestCarriesItsLockAsAnObject() throws IOException {
    List<BuildTarget> targets =
        requestTargets(
            "{\"image_type\": \"rootfs\", \"series\": \"bookworm\", \"lock\": " + LOCK + "}");
    assertEquals("2.10-3", targets.get(0).builder().spec().lock().find("hello", "amd64").version());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                requestTargets(
                    "{\"image_type\": \"rootfs\", \"series\": \"bookworm\", \"lock\": \"x\"}"));
    assertTrue(e.getMessage().contains("lock"), e.getMessage());
  }

  @Test
  void safeNameKeepsDirectoryNamesInsideTheOutputDirectory() {
    assertEquals("_..", SpecOptions.safeName(".."));
    assertEquals("a_b", SpecOptions.safeName("a/b"));
    assertEquals("ci-1.2_x", SpecOptions.safeName("ci-1.2_x"));
  }

  private List<BuildTarget> requestTargets(String json, String... more) throws IOException {
    Path file = Files.writeString(dir.resolve("requests.json"), json);
    SpecOptions options = new SpecOptions();
    List<String> args = new java.util.ArrayList<>(List.of("--request", file.toString()));
    args.addAll(List.of(more));
    new CommandLine(options).parseArgs(args.toArray(String[]::new));
    return options.targets();
  }

  @Test
  void aRequestMayNameALocalImageOnlyUnderAnAllowedPath() throws IOException {
    Path images = Files.createDirectories(dir.resolve("images"));
    Path base = Files.writeString(images.resolve("base.tar"), "tar");
    String json =
        "[{\"image_type\": \"rootfs\", \"series\": \"bookworm\", \"image\": \"" + base + "\"}]";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> requestTargets(json));
    assertEquals(
        "local path '"
            + base
            + "' for image is not allowed in a build request (expected a URL or inline"
            + " content: no directory is allowed for local files of requests) in request [0]",
        e.getMessage());
    List<BuildTarget> targets = requestTargets(json, "--allow-path", images.toString());
    assertEquals(base.toRealPath().toString(), targets.get(0).builder().spec().baseImage());
    IllegalArgumentException elsewhere =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                requestTargets(
                    json,
                    "--allow-path",
                    Files.createDirectories(dir.resolve("other")).toString()));
    assertTrue(
        elsewhere.getMessage().startsWith("local path '" + base + "' for image is not allowed"),
        elsewhere.getMessage());
  }

  @Test
  void allowPathNeedsARequest() {
    SpecOptions options = new SpecOptions();
    new CommandLine(options).parseArgs("--allow-path", dir.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, options::targets);
    assertEquals(
        "--allow-path applies to --request only (expected --request FILE)", e.getMessage());
  }

  @Test
  void anEmptyRequestListIsAnError() throws IOException {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> requestTargets("[]"));
    assertEquals(
        "empty request list [] (expected at least one request object) in request file '"
            + dir.resolve("requests.json")
            + "'",
        e.getMessage());
  }

  @Test
  void requestAndSpecFilesThatAreNotUtf8AreNamedWithTheOffset() throws IOException {
    byte[] bad = {'{', '"', 's', (byte) 0xc3, '"', '}'};
    Path request = Files.write(dir.resolve("bad-request.json"), bad);
    SpecOptions options = new SpecOptions();
    new CommandLine(options).parseArgs("--request", request.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, options::targets);
    assertEquals(
        "invalid request JSON: byte 0xc3 at offset 3 (line 1) is not UTF-8 (expected UTF-8 text)"
            + " in request file '"
            + request
            + "'",
        e.getMessage());
    Path spec = Files.write(dir.resolve("bad-spec.json"), bad);
    SpecOptions specOptions = new SpecOptions();
    new CommandLine(specOptions).parseArgs("--spec", spec.toString());
    e = assertThrows(IllegalArgumentException.class, specOptions::targets);
    assertEquals(
        "invalid spec file '"
            + spec
            + "': byte 0xc3 at offset 3 is not UTF-8 (expected UTF-8 text)",
        e.getMessage());
  }
}
