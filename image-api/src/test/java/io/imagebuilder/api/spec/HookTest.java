package io.imagebuilder.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.internal.stages.HookStage;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookTest {
  private static ImageSpec spec(Hook hook) {
    return ImageSpec.builder("bookworm").architecture(Architecture.AMD64).addHook(hook).build();
  }

  @Test
  void aHookWithoutNetworkWritesNoNetworkField() {
    Hook plain = new Hook(HookPoint.AFTER_PACKAGES, List.of("true"));
    assertFalse(plain.network());
    String json = spec(plain).toCanonicalJson();
    assertFalse(json.contains("network"), json);
    assertTrue(json.contains("\"hooks\":[{\"command\":[\"true\"],\"point\":"), json);
    assertFalse(HookStage.Options.of(plain).toString().isEmpty());
    assertFalse(
        io.imagebuilder.api.stage.StageOptions.of(HookStage.Options.of(plain))
            .containsKey("network"));
  }

  @Test
  void aHookWithNetworkSaysSoInItsJsonAndReadsBack() {
    Hook online = new Hook(HookPoint.AFTER_PACKAGES, List.of("curl", "-O", "x")).withNetwork();
    assertTrue(online.network());
    ImageSpec spec = spec(online);
    String json = spec.toCanonicalJson();
    assertTrue(json.contains("\"network\":true"), json);
    ImageSpec back = ImageSpec.fromJson(json);
    assertEquals(spec, back);
    assertTrue(back.hooks().get(0).network());
    assertEquals(
        true,
        io.imagebuilder.api.stage.StageOptions.of(HookStage.Options.of(online)).get("network"));
    // and it is a different spec from the same hook without network
    assertFalse(
        spec.specHash()
            .equals(
                spec(new Hook(HookPoint.AFTER_PACKAGES, List.of("curl", "-O", "x"))).specHash()));
  }
}
