package io.imagebuilder.api.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanTest {
  record Simple(String type, Phase phase, Map<String, Object> options) implements Stage {
    @Override
    public String summary() {
      return type + " " + options;
    }

    @Override
    public void run(StageContext context) {}
  }

  static Stage stage(String type, Object value) {
    return new Simple(type, Phase.CUSTOMISE, Map.of("value", value));
  }

  private final Plan plan = Plan.of(List.of(stage("a", 1), stage("b", 2), stage("c", 3)));

  @Test
  void theSameStagesGiveTheSameIds() {
    Plan again = Plan.of(List.of(stage("a", 1), stage("b", 2), stage("c", 3)));
    assertEquals(ids(plan), ids(again));
    assertEquals(plan.stages().get(2).id(), plan.id());
  }

  @Test
  void changingAStagesOptionsChangesItsIdAndAllLaterOnes() {
    Plan changed = Plan.of(List.of(stage("a", 1), stage("b", 20), stage("c", 3)));
    assertEquals(ids(plan).get(0), ids(changed).get(0));
    assertNotEquals(ids(plan).get(1), ids(changed).get(1));
    assertNotEquals(ids(plan).get(2), ids(changed).get(2));
  }

  @Test
  void optionMapOrderDoesNotMatter() {
    Stage one = new Simple("x", Phase.CUSTOMISE, new java.util.LinkedHashMap<>(Map.of("a", 1)));
    java.util.LinkedHashMap<String, Object> twoKeys = new java.util.LinkedHashMap<>();
    twoKeys.put("b", 2);
    twoKeys.put("a", 1);
    java.util.LinkedHashMap<String, Object> reversed = new java.util.LinkedHashMap<>();
    reversed.put("a", 1);
    reversed.put("b", 2);
    assertEquals(
        Plan.of(List.of(new Simple("x", Phase.CUSTOMISE, twoKeys))).id(),
        Plan.of(List.of(new Simple("x", Phase.CUSTOMISE, reversed))).id());
    assertNotEquals(
        Plan.of(List.of(one)).id(),
        Plan.of(List.of(new Simple("x", Phase.CUSTOMISE, twoKeys))).id());
  }

  @Test
  void insertsReplacesWrapsAndRemovesByType() {
    assertEquals(List.of("a", "new", "b", "c"), plan.insertBefore("b", stage("new", 0)).types());
    assertEquals(List.of("a", "b", "new", "c"), plan.insertAfter("b", stage("new", 0)).types());
    assertEquals(List.of("a", "x", "c"), plan.replace("b", stage("x", 9)).types());
    assertEquals(List.of("a", "c"), plan.remove("b").types());
    assertEquals(List.of("a", "b", "c", "z"), plan.append(stage("z", 0)).types());
    Plan wrapped = plan.wrap("b", s -> new ForwardingStage(s) {});
    assertEquals(ids(plan), ids(wrapped), "a wrapper keeps the delegate's type and options");
    assertTrue(wrapped.stages().get(1).stage() instanceof ForwardingStage);
  }

  @Test
  void anUnknownTypeIsAnErrorNamingIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> plan.remove("nope"));
    assertTrue(
        e.getMessage()
            .startsWith("no stage of type 'nope' in the plan (expected one of [a, b, c])"),
        e.getMessage());
  }

  @Test
  void describesItselfAsJson() {
    String json = plan.toJson();
    assertTrue(json.contains("\"type\" : \"b\""), json);
    assertTrue(json.contains(plan.id()), json);
  }

  private static List<String> ids(Plan p) {
    return p.stages().stream().map(PlannedStage::id).toList();
  }

  @Test
  void aStageInsertedInTheWrongPhaseIsRefusedNamingBothPhases() {
    Plan real =
        Plan.of(
            List.of(
                new Simple("rootfs.bootstrap", Phase.BOOTSTRAP, Map.of()),
                new Simple("rootfs.packages", Phase.PACKAGES, Map.of())));
    Stage packagesPhase = new Simple("tool.extra-packages", Phase.PACKAGES, Map.of());

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> real.insertBefore("rootfs.bootstrap", packagesPhase));

    assertTrue(
        e.getMessage()
            .contains(
                "stage rootfs.bootstrap of phase bootstrap would run after stage "
                    + "tool.extra-packages of phase packages"),
        e.getMessage());
    assertEquals(
        List.of("rootfs.bootstrap", "tool.extra-packages", "rootfs.packages"),
        real.insertAfter("rootfs.bootstrap", packagesPhase).types(),
        "the same stage in its phase is fine");
  }

  @Test
  void aWrapperThatOnlyWatchesKeepsTheIdAndOneThatChangesTheOutputDoesNot() {
    Stage watching = new ForwardingStage(plan.stages().get(1).stage()) {};
    Stage changing =
        new ForwardingStage(plan.stages().get(1).stage()) {
          @Override
          protected Map<String, Object> wrapperOptions() {
            return Map.of("wrapper", "test.compress-harder", "level", 19);
          }
        };
    assertEquals(plan.id(), plan.wrap("b", s -> watching).id());
    assertNotEquals(plan.id(), plan.wrap("b", s -> changing).id());
    assertEquals(
        Map.of(
            "delegate",
            Map.of("value", 2),
            "wrapper",
            Map.of("wrapper", "test.compress-harder", "level", 19)),
        changing.options());
  }
}
