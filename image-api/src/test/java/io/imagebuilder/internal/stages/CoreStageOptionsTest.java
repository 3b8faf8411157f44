package io.imagebuilder.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.spec.Hook;
import io.imagebuilder.api.spec.HookPoint;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every value a hook stage reads (its point and command) is part of its id. */
class CoreStageOptionsTest {
  @Test
  void everyOptionOfTheHookStageChangesItsId() {
    ImageSpec spec =
        ImageSpec.builder("bookworm")
            .architecture(Architecture.AMD64)
            .addHook(new Hook(HookPoint.AFTER_PACKAGES, List.of("sh", "-c", "true")))
            .build();
    List<Stage> stages = new CoreStageProvider().stages(spec);
    assertEquals(List.of("hook.run"), stages.stream().map(Stage::type).toList());
    OptionVariants.Check check = OptionVariants.check(stages.get(0));
    assertEquals(List.of(), check.outsideTheId());
    assertEquals(
        OptionVariants.allComponents(OptionVariants.optionsType(stages.get(0))), check.varied());
  }
}
