package io.imagebuilder.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagebuilder.api.error.MissingModuleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void printsIndexShortIdTypeAndSummaryInColumns() {
    CliRun run = CliRun.run("plan", "--package", "openssh-server", "--arch", "arm64");
    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    List<String> lines = run.out().lines().toList();
    assertEquals(3, lines.size(), run::toString);
    assertTrue(
        lines
            .get(0)
            .matches(
                "1  [0-9a-f]{12}  fake.bootstrap  bootstrap debian/bookworm minbase for arm64"),
        lines.get(0));
    assertTrue(
        lines.get(1).matches("2  [0-9a-f]{12}  fake.packages   install openssh-server"),
        lines.get(1));
    assertTrue(
        lines.get(2).matches("3  [0-9a-f]{12}  fake.tar        write the rootfs as tar.zst"),
        lines.get(2));
    assertEquals("", run.err(), "plan prints nothing on stderr");
  }

  @Test
  void jsonOutputParsesAndHoldsFullIds() throws Exception {
    CliRun run = CliRun.run("plan", "--json", "--package", "curl");
    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    JsonNode plan = JSON.readTree(run.out());
    assertTrue(plan.isArray(), run.out());
    List<String> types = new ArrayList<>();
    for (JsonNode stage : plan) {
      types.add(stage.get("type").asText());
      assertTrue(stage.get("id").asText().matches("[0-9a-f]{64}"), stage.toString());
    }
    assertEquals(List.of("fake.bootstrap", "fake.packages", "fake.tar"), types);
    assertEquals(1, plan.get(0).get("index").asInt());
    assertEquals("packages", plan.get(1).get("phase").asText());
  }

  @Test
  void sameInputsGiveSameIdsAndAnotherPackageChangesIdsFromThePackageStageOn() throws Exception {
    JsonNode a = JSON.readTree(CliRun.run("plan", "--json", "--package", "curl").out());
    JsonNode b = JSON.readTree(CliRun.run("plan", "--json", "--package", "curl").out());
    JsonNode c = JSON.readTree(CliRun.run("plan", "--json", "--package", "curl,vim").out());
    assertEquals(a, b);
    assertEquals(a.get(0).get("id"), c.get(0).get("id"));
    assertNotEquals(a.get(1).get("id"), c.get(1).get("id"));
    assertNotEquals(a.get(2).get("id"), c.get(2).get("id"));
  }

  @Test
  void requestsGiveAJsonListOfPlansInOrder() throws Exception {
    Path requests =
        Files.writeString(
            dir.resolve("req.json"),
            """
        [{"image_type": "rootfs", "series": "bookworm", "trigger": "ci"},
         {"image_type": "rootfs", "series": "noble", "package_list": ["curl"]}]
        """);
    CliRun run = CliRun.run("plan", "--json", "--request", requests.toString());
    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    JsonNode plans = JSON.readTree(run.out());
    assertEquals(2, plans.size());
    assertEquals(2, plans.get(0).size());
    assertEquals(3, plans.get(1).size());
    assertTrue(plans.get(1).get(0).get("summary").asText().contains("ubuntu/noble"), run.out());
  }

  @Test
  void requestsInTextGetAHeaderEach() throws Exception {
    Path requests =
        Files.writeString(
            dir.resolve("req.json"),
            """
        {"image_type": "rootfs", "series": "bookworm", "trigger": "ci"}
        """);
    CliRun run = CliRun.run("plan", "--request", requests.toString());
    assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
    assertEquals("# request 0-ci", run.out().lines().findFirst().orElseThrow());
  }

  @Test
  void aMissingModuleFailsWithExitOneNamingIt() {
    CliRun run =
        CliRun.run(
            false,
            b ->
                b.withPlanTransform(
                    p -> {
                      throw new MissingModuleException(
                          "no stage on the classpath bootstraps a root filesystem for debian/bookworm",
                          "image-rootfs");
                    }),
            "plan");
    assertEquals(ExitCodes.FAILED, run.exitCode(), run::toString);
    assertEquals(
        "imagebuilder: no stage on the classpath bootstraps a root filesystem for debian/bookworm: "
            + "add io.imagebuilder:image-rootfs to the classpath"
            + System.lineSeparator(),
        run.err());
    assertEquals("", run.out());
  }

  @Test
  void badValuesAreUsageErrors() {
    CliRun run = CliRun.run("plan", "--ppa", "foo");
    assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    assertEquals(
        "imagebuilder: invalid PPA 'foo' (expected ppa:owner/name, ppa:owner/name=FINGERPRINT (40 hex digits) or ppa:owner/name=KEYFILE)"
            + System.lineSeparator(),
        run.err());
  }
}
