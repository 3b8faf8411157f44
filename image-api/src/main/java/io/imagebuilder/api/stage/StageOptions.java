package io.imagebuilder.api.stage;

import com.fasterxml.jackson.core.type.TypeReference;
import io.imagebuilder.internal.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one conversion from a stage's options record to {@link Stage#options()}: each record
 * component becomes an entry named after it, its value as JSON data (strings, numbers, booleans,
 * lists, maps). A component that is {@code null} is left out, so adding an optional field to an
 * options record leaves the ids of stages that do not set it unchanged. The stage id hashes the
 * result as canonical JSON (sorted keys), so the order of the components does not matter.
 *
 * <p>One exception: a component marked {@code @JsonIgnore} is a locator, where to find bytes that
 * another component pins by their sha256 (a base image's path beside its sha256), and is left out
 * so the same bytes anywhere give the same id. The stage must check the bytes against that hash
 * before it uses them.
 */
public final class StageOptions {
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private StageOptions() {}

  /**
   * The options map of a stage built from {@code options}.
   *
   * @param options the stage's options record, holding exactly what the stage reads
   * @return its components by name, without the null ones
   * @throws IllegalArgumentException if a component cannot be written as JSON
   */
  public static Map<String, Object> of(Record options) {
    LinkedHashMap<String, Object> map = Json.mapper().convertValue(options, MAP);
    map.values().removeIf(v -> v == null);
    return map;
  }
}
