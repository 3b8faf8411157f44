package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.ImageBuilder;
import io.imagebuilder.api.error.MissingModuleException;
import io.imagebuilder.samples.testing.FakeStageProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCommandTest {
  @TempDir Path dir;

  private CliRun build(String... args) {
    List<String> all =
        new java.util.ArrayList<>(
            List.of(
                "build",
                "--cache",
                dir.resolve("cache").toString(),
                "--out",
                dir.resolve("out").toString()));
    all.addAll(List.of(args));
    return CliRun.run(all.toArray(String[]::new));
  }

  private static void assertUsageError(CliRun run, String message) {
    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("imagebuilder: " + message), run::toString);
    assertEquals("", run.out(), run::toString);
  }

  @Test
  void aBadPpaIsAUsageErrorQuotingIt() {
    assertUsageError(
        build("--ppa", "foo"),
        "invalid PPA 'foo' (expected ppa:owner/name, ppa:owner/name=FINGERPRINT (40 hex digits) or ppa:owner/name=KEYFILE)");
  }

  @Test
  void anEmptySeriesIsAUsageErrorQuotingIt() {
    assertUsageError(build("--series", ""), "invalid series '' (expected one of ");
  }

  @Test
  void aBadPackageNameIsAUsageErrorQuotingIt() {
    assertUsageError(
        build("--package", "bad name!"),
        "invalid package 'bad name!' (expected a Debian package name");
  }

  @Test
  void anUnknownBoardIsAUsageErrorListingTheKnownOnes() {
    CliRun run = build("--board", "no-such-board");
    assertUsageError(run, "unknown board 'no-such-board' (expected one of ");
    assertTrue(run.err().contains("qemu-arm64"), run::toString);
  }

  @Test
  void anUnknownFormatIsAUsageErrorListingTheKnownOnes() {
    assertUsageError(
        build("--format", "zip"), "invalid output format 'zip' (expected one of tar, tar.gz");
  }

  @Test
  void anUnknownExecutorIsAUsageError() {
    CliRun run =
        CliRun.runWith(
            CliRun.FAKE_STAGES,
            "build",
            "--executor",
            "magic",
            "--out",
            dir.resolve("out").toString());
    assertUsageError(run, "unknown executor 'magic' (expected auto or one of ");
    assertTrue(run.err().contains("native, qemu-user"), run::toString);
  }

  @Test
  void aNonNumericEpochIsAPicocliUsageError() {
    CliRun run = build("--source-date-epoch", "yesterday");
    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().contains("'yesterday'"), run::toString);
    assertTrue(run.err().contains("Try 'imagebuilder build --help'"), run::toString);
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    CliRun run = build("--packages", "curl");
    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("imagebuilder: Unknown options: '--packages'"), run::toString);
    assertTrue(run.err().contains("Possible solutions: --package"), run::toString);
  }

  @Test
  void anUnknownImageTypeIsAUsageErrorListingTheKnownOnes() throws Exception {
    Path requests =
        Files.writeString(
            dir.resolve("req.json"), "[{\"image_type\": \"vm\", \"series\": \"bookworm\"}]");
    assertUsageError(
        build("--request", requests.toString()),
        "unknown image_type 'vm' (expected one of cloud, disk, rootfs) in request [0]");
  }

  @Test
  void anUnknownSpecFieldIsAUsageError() throws Exception {
    String json =
        ImageBuilder.forSeries("bookworm")
            .spec()
            .toJson()
            .replaceFirst("\\{", "{\"colour\": \"blue\",");
    Path spec = Files.writeString(dir.resolve("spec.json"), json);
    CliRun run = build("--spec", spec.toString());
    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().contains("colour"), run::toString);
  }

  @Test
  void hostDirectoriesAndFilesAreRefusedAsOutputOrCacheNamingTheRightPath() throws Exception {
    assertUsageError(
        CliRun.run("build", "--cache", dir.resolve("cache").toString(), "--out", "/etc"),
        "invalid output directory '/etc' (a host system directory; expected a new or empty directory of your own)");
    assertUsageError(
        CliRun.run("build", "--cache", dir.resolve("cache").toString(), "--out", "/"),
        "invalid output directory '/' (a host system directory");
    assertUsageError(
        CliRun.run("build", "--cache", "/", "--out", dir.resolve("out").toString()),
        "invalid cache directory '/' (a host system directory");
    Path file = Files.writeString(dir.resolve("image.tar.zst"), "x");
    assertUsageError(
        CliRun.run("build", "--cache", dir.resolve("cache").toString(), "--out", file.toString()),
        "invalid output directory '" + file + "' (a file, not a directory");
    assertFalse(Files.exists(Path.of("/etc/logs")), "nothing was written into /etc");
  }

  @Test
  void aMissingSpecFileIsAUsageError() {
    assertUsageError(
        build("--spec", dir.resolve("none.json").toString()),
        "cannot read spec file '" + dir.resolve("none.json") + "'");
  }

  @Test
  void aSuccessfulBuildPrintsTheSummaryOnStdoutAndProgressOnStderr() throws Exception {
    CliRun run = build("--package", "curl", "--hostname", "demo");
    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);

    Path artifact =
        dir.resolve("out")
            .resolve("bookworm-" + io.imagebuilder.api.spec.Architecture.host() + ".tar.zst");
    byte[] content = Files.readAllBytes(artifact);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    String specHash =
        ImageBuilder.forSeries("bookworm")
            .withPackages("curl")
            .withHostname("demo")
            .spec()
            .specHash();
    assertEquals(
        List.of(
            "Output:       " + artifact,
            "Format:       tar.zst",
            "Size:         " + content.length + " B",
            "sha256:       " + sha256,
            "Architecture: " + io.imagebuilder.api.spec.Architecture.host(),
            "Series:       debian/bookworm",
            "Spec hash:    " + specHash,
            "Executor:     fake"),
        run.out().lines().toList());

    assertTrue(
        run.err().contains("[1/3] fake.bootstrap: bootstrap debian/bookworm minbase for"),
        run::toString);
    assertTrue(run.err().contains("[2/3] fake.packages: install curl"), run::toString);
    assertTrue(run.err().contains("downloading packages: 50% (4.0/8.0 MiB)"), run::toString);
    assertTrue(run.err().contains("Build succeeded in "), run::toString);
    assertFalse(run.err().contains("\r"), "no carriage returns when not on a terminal");
    assertFalse(run.err().contains("Setting up curl"), "command output only with --verbose");
  }

  @Test
  void verboseShowsCommandOutput() {
    CliRun run = build("--package", "curl", "--verbose");
    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    assertTrue(run.err().contains("  | Setting up curl ..."), run::toString);
    assertFalse(run.out().contains("Setting up"), run::toString);
  }

  @Test
  void aFailedStageExitsOneNamingStageCommandAndOutput() {
    CliRun run = build("--package", FakeStageProvider.FAILING_PACKAGE);
    assertEquals(ExitCodes.FAILED, run.exitCode(), run::toString);
    assertEquals("", run.out(), run::toString);
    assertTrue(run.err().contains("imagebuilder: stage fake.packages (id "), run::toString);
    assertTrue(
        run.err().contains("failed: command apt-get install -y fail-me exited with code 100"),
        run::toString);
    assertTrue(run.err().contains("| E: Unable to locate package fail-me"), run::toString);
    assertTrue(run.err().contains("[2/3] fake.packages failed after "), run::toString);
  }

  @Test
  void aFailedStageShowsNoStackTraceUnlessVerbose() {
    CliRun quiet = build("--package", FakeStageProvider.FAILING_PACKAGE);
    assertFalse(quiet.err().contains("\tat "), quiet::toString);
    assertTrue(quiet.err().contains("--verbose prints the stack trace"), quiet::toString);
    assertTrue(
        quiet.err().contains("(the stage's log " + dir.resolve("out") + "/logs/"), quiet::toString);
    CliRun verbose = build("--package", FakeStageProvider.FAILING_PACKAGE, "--verbose");
    assertEquals(ExitCodes.FAILED, verbose.exitCode(), verbose::toString);
    assertTrue(verbose.err().contains("\tat io.imagebuilder."), verbose::toString);
  }

  @Test
  void aMissingModuleExitsOneWithItsMessage() {
    UnaryOperator<ImageBuilder> missing =
        b ->
            b.withPlanTransform(
                p -> {
                  throw new MissingModuleException(
                      "no stage on the classpath bootstraps a root filesystem", "image-rootfs");
                });
    CliRun run = CliRun.run(false, missing, "build", "--out", dir.resolve("out").toString());
    assertEquals(ExitCodes.FAILED, run.exitCode(), run::toString);
    assertEquals(
        "imagebuilder: no stage on the classpath bootstraps a root filesystem: add io.imagebuilder:image-rootfs"
            + " to the classpath"
            + System.lineSeparator(),
        run.err());
  }

  @Test
  void aBadRequestIsAUsageErrorNamingFieldValueAndTypeAndNothingIsBuilt() throws Exception {
    Path requests =
        Files.writeString(
            dir.resolve("bad.json"),
            """
        [{"image_type": "rootfs", "series": "bookworm", "trigger": "ok"},
         {"image_type": "rootfs", "series": "bookworm", "arch": 5}]
        """);
    CliRun run = build("--request", requests.toString());
    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertEquals(
        "imagebuilder: invalid arch '5' in request [1] (expected a string, got an integer) in request file '"
            + requests
            + "'"
            + System.lineSeparator(),
        run.err());
    assertFalse(Files.exists(dir.resolve("out/0-ok")), "no request of the list was built");
  }

  @Test
  void requestsAreBuiltInTurnIntoTheirOwnDirectories() throws Exception {
    Path requests =
        Files.writeString(
            dir.resolve("req.json"),
            """
        [{"image_type": "rootfs", "series": "bookworm", "package_list": ["curl"], "trigger": "nightly"},
         {"image_type": "rootfs", "series": "trixie"}]
        """);
    CliRun run = build("--request", requests.toString());
    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    String arch = io.imagebuilder.api.spec.Architecture.host().debianName();
    assertTrue(Files.isRegularFile(dir.resolve("out/0-nightly/bookworm-" + arch + ".tar.zst")));
    assertTrue(Files.isRegularFile(dir.resolve("out/1-rootfs/trixie-" + arch + ".tar.zst")));
    List<String> out = run.out().lines().toList();
    assertEquals("Request:      0-nightly", out.get(0));
    assertTrue(out.contains("Request:      1-rootfs"), run::toString);
    assertTrue(out.contains("Series:       debian/trixie"), run::toString);
    assertTrue(run.err().contains("== request 1-rootfs (2 of 2) =="), run::toString);
  }
}
