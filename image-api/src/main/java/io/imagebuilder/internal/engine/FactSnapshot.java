package io.imagebuilder.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagebuilder.internal.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The facts a build's context held after a stage, as data that survives a restore into another JVM.
 * It is generic over the keys: a value that is a record is kept as JSON with its class name and
 * read back into that class; any other value (behaviour such as a {@code PackageInstaller}, a host
 * {@code Path}) is not kept but named in {@link #dropped}. A stage that needs such a fact must
 * rebuild it from the tree, or fall back when it is absent, as the board kernel stage does without
 * the package installer. Facts the engine sets itself ({@code engine.*}, the stage logs) are not
 * kept: the engine sets them again.
 *
 * @param facts the kept facts by key name
 * @param dropped the key names whose values were not data, with their class
 */
record FactSnapshot(Map<String, Fact> facts, Map<String, String> dropped) {
  /** One kept fact: its value's class and the value as JSON. */
  record Fact(String type, JsonNode value) {}

  FactSnapshot {
    facts = Map.copyOf(facts);
    dropped = Map.copyOf(dropped);
  }

  /** The data among {@code facts}, by key name. */
  static FactSnapshot of(Map<String, Object> facts) {
    Map<String, Fact> kept = new TreeMap<>();
    Map<String, String> dropped = new TreeMap<>();
    for (Map.Entry<String, Object> e : facts.entrySet()) {
      if (e.getKey().startsWith("engine.")) {
        continue;
      }
      Object value = e.getValue();
      if (value.getClass().isRecord()) {
        kept.put(
            e.getKey(), new Fact(value.getClass().getName(), Json.mapper().valueToTree(value)));
      } else {
        dropped.put(e.getKey(), value.getClass().getName());
      }
    }
    return new FactSnapshot(kept, dropped);
  }

  /**
   * The kept facts as values again, each read into its record class, found through the first of
   * {@code loaders} that has it (the stages' class loaders: a fact's class belongs to the module
   * that sets it).
   *
   * @throws IOException when a class is missing or not a record, or a value does not fit it
   */
  Map<String, Object> values(List<ClassLoader> loaders) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Fact> e : facts.entrySet()) {
      Class<?> type = load(e.getValue().type(), loaders);
      if (!type.isRecord()) {
        throw new IOException(
            "fact " + e.getKey() + " has class " + type.getName() + " (expected a record)");
      }
      out.put(e.getKey(), Json.mapper().treeToValue(e.getValue().value(), type));
    }
    return out;
  }

  private static Class<?> load(String name, List<ClassLoader> loaders) throws IOException {
    List<ClassLoader> all = new ArrayList<>(loaders);
    all.add(FactSnapshot.class.getClassLoader());
    for (ClassLoader loader : all) {
      try {
        return Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        // try the next loader
      }
    }
    throw new IOException(
        "no class " + name + " for a cached fact (expected one of the stages' record types)");
  }
}
