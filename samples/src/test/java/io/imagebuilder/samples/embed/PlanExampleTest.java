package io.imagebuilder.samples.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.PlannedStage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanExampleTest {
  @Test
  void printsOneLineWithTheFullIdPerStage() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      PlanExample.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    Plan plan = PlanExample.plan();
    assertEquals(plan.stages().size(), lines.size());
    for (int i = 0; i < lines.size(); i++) {
      PlannedStage stage = plan.stages().get(i);
      assertEquals(stage.id() + "  " + stage.type() + "  " + stage.stage().summary(), lines.get(i));
    }
  }

  @Test
  void theSamePlanTwiceHasTheSameIds() {
    assertEquals(ids(PlanExample.plan()), ids(PlanExample.plan()));
  }

  @Test
  void anotherPackageChangesIdsFromThePackageStageOnOnly() {
    Plan base = PlanExample.plan();
    Plan more = PlanExample.plan("curl");
    assertEquals(base.types(), more.types());
    int packages =
        base.types()
            .indexOf(
                base.types().stream()
                    .filter(t -> t.endsWith(".packages"))
                    .findFirst()
                    .orElseThrow());
    assertTrue(packages > 0, "a stage runs before the package stage");
    for (int i = 0; i < base.stages().size(); i++) {
      if (i < packages) {
        assertEquals(base.stages().get(i).id(), more.stages().get(i).id(), base.types().get(i));
      } else {
        assertNotEquals(base.stages().get(i).id(), more.stages().get(i).id(), base.types().get(i));
      }
    }
  }

  private static List<String> ids(Plan plan) {
    return plan.stages().stream().map(PlannedStage::id).toList();
  }
}
