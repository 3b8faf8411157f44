package io.imagebuilder.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

/**
 * What {@link SharedFixtureOneIT} and {@link SharedFixtureTwoIT} (each in a JVM of its own, beside
 * {@link HelloFixtureIT}) check of the one fixture they all declare: the run built it at most once
 * (once after {@code mvn clean}), and this JVM either built it or reused it.
 */
final class SharedFixtures {
  private SharedFixtures() {}

  static void builtOnceAndReusedByTheOthers(ImageFixture fixture) throws IOException {
    // This run's lines: the pom names the run (imagebuilder.testing.runId); a run dir kept from
    // an earlier run without mvn clean holds that run's lines too.
    String run = " run " + System.getProperty("imagebuilder.testing.runId");
    List<String> log = fixture.buildLog().stream().filter(l -> l.endsWith(run)).toList();
    System.out.println("builds.log of " + fixture.directory() + ":\n  " + String.join("\n  ", log));
    long built = log.stream().filter(l -> l.contains(" built plan ")).count();
    assertTrue(built <= 1, "the run built the fixture " + built + " times: " + log);
    String mine = "pid " + ProcessHandle.current().pid() + " ";
    List<String> own = log.stream().filter(l -> l.startsWith(mine)).toList();
    assertEquals(1, own.size(), "this JVM prepared the fixture once: " + log);
    assertEquals(fixture.result().fromCache(), own.get(0).contains(" reused plan "), own.get(0));
    if (fixture.result().fromCache()) {
      System.out.printf(
          "this JVM reused the fixture in %.1f s%n", fixture.preparationTime().toMillis() / 1000.0);
    } else {
      System.out.printf(
          "this JVM built the fixture in %.1f s%n", fixture.preparationTime().toMillis() / 1000.0);
    }
  }
}
