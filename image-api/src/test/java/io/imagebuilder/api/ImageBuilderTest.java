package io.imagebuilder.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.error.MissingModuleException;
import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.HookPoint;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.PlannedStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBuilderTest {
  @TempDir Path temp;

  private static ImageBuilder bookworm() {
    return ImageBuilder.forSeries("bookworm").forArchitecture("arm64");
  }

  @Test
  void collectsASpec() {
    ImageSpec spec =
        bookworm()
            .withPackages("openssh-server", "curl")
            .withoutPackages("nano")
            .withVariant("standard")
            .withHostname("edge-1")
            .withUser("pi")
            .withFile("/etc/motd", "hi\n")
            .withHook(HookPoint.AFTER_PACKAGES, "systemctl", "enable", "ssh")
            .withOutputs("tar.gz")
            .withSourceDateEpoch(1700000000)
            .spec();
    assertEquals(List.of("curl", "openssh-server"), spec.packages());
    assertEquals(List.of("nano"), spec.excludedPackages());
    assertEquals("standard", spec.variant().id());
    assertEquals("edge-1", spec.hostname());
    assertEquals("pi", spec.users().get(0).name());
    assertEquals(
        "hi\n", new String(spec.files().get(0).content(), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(Architecture.ARM64, spec.architecture());
    assertEquals(1700000000L, spec.sourceDateEpoch());
  }

  @Test
  void defaultsToTheHostArchitecture() {
    assertEquals(Architecture.host(), ImageBuilder.forSeries("trixie").spec().architecture());
  }

  @Test
  void rejectsBadInputWhereItIsSet() {
    assertMessage(
        "invalid PPA 'foo' (expected ppa:owner/name, ppa:owner/name=FINGERPRINT (40 hex digits) or ppa:owner/name=KEYFILE)",
        () -> bookworm().withPpa("foo"));
    assertMessage("invalid series ''", () -> ImageBuilder.forSeries(""));
    assertMessage("invalid package 'bad name!'", () -> bookworm().withPackages("bad name!"));
    assertMessage("invalid architecture 'x86'", () -> bookworm().forArchitecture("x86"));
    assertMessage("unknown board 'no-such-board'", () -> bookworm().forBoard("no-such-board"));
    assertMessage(
        "invalid local package '" + temp.resolve("missing.deb") + "'",
        () -> bookworm().withLocalPackages(temp.resolve("missing.deb")));
    assertMessage(
        "invalid work directory '/' (a host system directory",
        () -> RunConfiguration.into(temp.resolve("out")).withWorkDir(Path.of("/")));
    assertMessage(
        "invalid timeout 'PT0S' (expected a positive duration)",
        () -> RunConfiguration.into(temp.resolve("out")).withTimeout(java.time.Duration.ZERO));
  }

  @Test
  void refusesAFarFutureSourceDateEpochATooLongTriggerAndTooManyPackages() {
    assertMessage(
        "invalid SOURCE_DATE_EPOCH '99999999999' (expected seconds since 1970, from 0 to 4102444800",
        () -> bookworm().withSourceDateEpoch(99_999_999_999L));
    assertMessage(
        "invalid SOURCE_DATE_EPOCH '99999999999'",
        () ->
            io.imagebuilder.api.spec.ImageSpec.fromJson(
                bookworm()
                    .spec()
                    .toJson()
                    .replace("\"series\"", "\"sourceDateEpoch\": 99999999999, \"series\"")));
    assertMessage(
        "invalid trigger '" + "t".repeat(80) + "... (300 characters)'",
        () -> RunConfiguration.into(Path.of("out")).withTrigger("t".repeat(300)));
    String[] many = new String[200_000];
    java.util.Arrays.fill(many, "curl");
    assertMessage(
        "too many packages: 200000 (expected at most 10000)", () -> bookworm().withPackages(many));
  }

  @Test
  void refusesANonEmptyWorkDirectory() throws Exception {
    Files.writeString(temp.resolve("precious.txt"), "keep me");
    assertMessage(
        "invalid work directory '" + temp + "' (not empty",
        () -> RunConfiguration.into(temp.resolve("out")).withWorkDir(temp));
    assertEquals("keep me", Files.readString(temp.resolve("precious.txt")));
  }

  @Test
  void localPackagesAreRecordedWithTheirHash() throws Exception {
    Path deb = Files.write(temp.resolve("tool_1.0_all.deb"), new byte[] {1, 2, 3});
    ImageSpec spec = bookworm().withLocalPackages(deb).spec();
    assertEquals(deb.toString(), spec.localPackages().get(0).path());
    assertEquals(
        "039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81",
        spec.localPackages().get(0).sha256());
  }

  @Test
  void plansInPhaseOrderWithStableIds() {
    Plan plan = bookworm().withPackages("curl").plan();
    assertEquals(
        List.of("test.bootstrap", "test.packages", "test.finalise", "test.tarball"), plan.types());
    assertEquals(ids(plan), ids(bookworm().withPackages("curl").plan()));
  }

  @Test
  void changingThePackagesChangesIdsFromThePackageStageOn() {
    List<String> before = ids(bookworm().withPackages("curl").plan());
    List<String> after = ids(bookworm().withPackages("curl", "vim").plan());
    assertEquals(before.get(0), after.get(0), "bootstrap keeps its id");
    for (int i = 1; i < before.size(); i++) {
      assertNotEquals(before.get(i), after.get(i), "stage " + i);
    }
  }

  @Test
  void hooksRunAtTheEndOfTheirPhase() {
    Plan plan =
        bookworm()
            .withHook(HookPoint.AFTER_PACKAGES, "true")
            .withHook(HookPoint.AFTER_BOOTSTRAP, "true")
            .plan();
    assertEquals(
        List.of(
            "test.bootstrap",
            "hook.run",
            "test.packages",
            "hook.run",
            "test.finalise",
            "test.tarball"),
        plan.types());
  }

  @Test
  void planTransformsInsertStages() {
    Plan plan =
        bookworm()
            .withPlanTransform(
                p ->
                    p.insertAfter(
                        "test.packages",
                        new TestStageProvider.Described(
                            "custom.step",
                            io.imagebuilder.api.stage.Phase.PACKAGES,
                            java.util.Map.of(),
                            List.of())))
            .plan();
    assertEquals(
        List.of("test.bootstrap", "test.packages", "custom.step", "test.finalise", "test.tarball"),
        plan.types());
  }

  @Test
  void withoutAStageProviderPlanningNamesTheModuleToAdd() {
    MissingModuleException e =
        assertThrows(
            MissingModuleException.class,
            () -> new io.imagebuilder.internal.engine.Planner(List.of()).plan(bookworm().spec()));
    assertTrue(
        e.getMessage().contains("add io.imagebuilder:image-rootfs to the classpath"),
        e.getMessage());
  }

  private static List<String> ids(Plan plan) {
    return plan.stages().stream().map(PlannedStage::id).toList();
  }

  static void assertMessage(String expectedStart, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().startsWith(expectedStart), () -> "message was: " + e.getMessage());
  }
}
