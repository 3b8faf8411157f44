package io.imagebuilder.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagebuilder.api.spec.ImageSpec;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static IllegalArgumentException refused(String json) {
    return assertThrows(IllegalArgumentException.class, () -> ImageSpec.fromJson(json));
  }

  @Test
  void aValueOfTheWrongJsonTypeIsNamedNotDescribedInJacksonsWords() {
    IllegalArgumentException e =
        refused("{\"series\": \"bookworm\", \"architecture\": \"amd64\", \"packages\": \"curl\"}");
    assertEquals(
        "invalid value 'curl' at packages in image spec (expected a list)", e.getMessage());
    IllegalArgumentException flag =
        refused(
            "{\"series\": \"bookworm\", \"architecture\": \"amd64\", \"keepLocalRepository\": [1]}");
    assertTrue(
        flag.getMessage()
            .startsWith(
                "invalid value '[' at keepLocalRepository in image spec (expected true or false)"),
        flag.getMessage());
  }

  @Test
  void aSyntaxErrorNamesItsPlace() {
    IllegalArgumentException e =
        refused("{\"series\": \"bookworm\",\n  \"architecture\" \"amd64\"}");
    assertTrue(
        e.getMessage().startsWith("invalid image spec at line 2, column 18: Unexpected character"),
        e.getMessage());
  }
}
