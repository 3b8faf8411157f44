package io.imagebuilder.internal.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagebuilder.api.spec.Architecture;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionVariantsTest {
  record Inner(String mirror, List<String> components) {}

  /** A stage that derives its options from its record, as the standard stages do. */
  static final class Honest implements Stage {
    record Options(String name, int size, boolean fast, Architecture architecture, Inner inner) {}

    private final Options options;

    Honest(Options options) {
      this.options = options;
    }

    @Override
    public String type() {
      return "test.honest";
    }

    @Override
    public String summary() {
      return "honest";
    }

    @Override
    public Phase phase() {
      return Phase.CUSTOMISE;
    }

    @Override
    public Map<String, Object> options() {
      return StageOptions.of(options);
    }

    @Override
    public void run(StageContext context) {}
  }

  /** A stage whose id leaves out a value it reads. */
  static final class Forgetful implements Stage {
    record Options(String name, String hidden) {}

    private final Options options;

    Forgetful(Options options) {
      this.options = options;
    }

    @Override
    public String type() {
      return "test.forgetful";
    }

    @Override
    public String summary() {
      return "forgetful";
    }

    @Override
    public Phase phase() {
      return Phase.CUSTOMISE;
    }

    @Override
    public Map<String, Object> options() {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("name", options.name());
      return o;
    }

    @Override
    public void run(StageContext context) {}
  }

  @Test
  void everyComponentOfAnHonestStageIsInItsIdNestedOnesToo() {
    Honest stage =
        new Honest(
            new Honest.Options("a", 1, true, Architecture.AMD64, new Inner("m", List.of("main"))));
    assertEquals(List.of(), OptionVariants.outsideTheId(stage));
    assertEquals(
        List.of("name", "size", "fast", "architecture", "inner.mirror", "inner.components"),
        OptionVariants.of(stage.options).stream().map(OptionVariants.Variant::component).toList());
  }

  @Test
  void aComponentLeftOutOfTheIdIsNamed() {
    assertEquals(
        List.of("hidden"),
        OptionVariants.outsideTheId(new Forgetful(new Forgetful.Options("a", "b"))));
  }

  @Test
  void aComponentWithNothingToChangeIsLeftToAnotherFixtureAndAllComponentsNamesIt() {
    assertEquals(
        List.of("mirror"),
        OptionVariants.of(new Inner("m", List.of())).stream()
            .map(OptionVariants.Variant::component)
            .toList());
    assertEquals(
        List.of("name", "size", "fast", "architecture", "inner.mirror", "inner.components"),
        OptionVariants.allComponents(Honest.Options.class));
  }

  @Test
  void nullComponentsAreLeftOutOfTheOptions() {
    assertEquals(Map.of("mirror", "m"), StageOptions.of(new Inner("m", null)));
  }
}
