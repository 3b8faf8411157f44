package io.imagebuilder.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.imagebuilder.internal.hash.Sha256;
import io.imagebuilder.internal.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

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
  /**
   * A fact whose JSON is larger than this is kept in a file of its own beside {@code entry.json},
   * named by its sha256. Such facts are the same in every entry of a chain (image-rootfs's {@code
   * rootfs.archiveHashes}, which .deb each repository offers: 5 MB for bookworm's three suites), so
   * each entry links the file an earlier entry wrote instead of repeating it.
   */
  static final int INLINE_MAX_BYTES = 64 * 1024;

  /**
   * One kept fact: its value's class and the value as JSON, or (for a large value) the sha256 of
   * that JSON, which is then the file {@code <sha256>.json} in the entry's facts directory.
   */
  record Fact(String type, JsonNode value, String file) {
    Fact(String type, JsonNode value) {
      this(type, value, null);
    }
  }

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
   * This snapshot with every fact larger than {@link #INLINE_MAX_BYTES} moved to {@code
   * <sha256>.json} in {@code factsDir}: a hard link to the same file of another entry when {@code
   * existing} finds one, else written.
   */
  FactSnapshot keptIn(Path factsDir, Function<String, Optional<Path>> existing) throws IOException {
    Map<String, Fact> kept = new TreeMap<>();
    for (Map.Entry<String, Fact> e : facts.entrySet()) {
      Fact fact = e.getValue();
      byte[] json = fact.value() == null ? null : Json.mapper().writeValueAsBytes(fact.value());
      if (json == null || json.length <= INLINE_MAX_BYTES) {
        kept.put(e.getKey(), fact);
        continue;
      }
      String sha = Sha256.of(json);
      Files.createDirectories(factsDir);
      Path target = factsDir.resolve(sha + ".json");
      if (!linked(target, existing.apply(sha))) {
        Files.write(target, json);
      }
      kept.put(e.getKey(), new Fact(fact.type(), null, sha));
    }
    return new FactSnapshot(kept, dropped);
  }

  private static boolean linked(Path target, Optional<Path> source) {
    if (source.isEmpty()) {
      return false;
    }
    try {
      Files.createLink(target, source.get());
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false; // evicted meanwhile, or no hard links here: write it again
    }
  }

  /** {@link #values(List, Path)} of a snapshot whose facts are all inline. */
  Map<String, Object> values(List<ClassLoader> loaders) throws IOException {
    return values(loaders, null);
  }

  /**
   * The kept facts as values again, each read into its record class, found through the first of
   * {@code loaders} that has it (the stages' class loaders: a fact's class belongs to the module
   * that sets it); a fact kept in a file is read from {@code factsDir} and checked against its
   * sha256.
   *
   * @throws IOException when a class is missing or not a record, a value does not fit it, or a
   *     fact's file is missing or changed
   */
  Map<String, Object> values(List<ClassLoader> loaders, Path factsDir) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Fact> e : facts.entrySet()) {
      Class<?> type = load(e.getValue().type(), loaders);
      if (!type.isRecord()) {
        throw new IOException(
            "fact " + e.getKey() + " has class " + type.getName() + " (expected a record)");
      }
      out.put(
          e.getKey(), Json.mapper().treeToValue(json(e.getKey(), e.getValue(), factsDir), type));
    }
    return out;
  }

  private static JsonNode json(String key, Fact fact, Path factsDir) throws IOException {
    if (fact.file() == null) {
      return fact.value();
    }
    if (factsDir == null || !Sha256.isHex(fact.file()) || fact.file().length() != 64) {
      throw new IOException("fact " + key + " names the file " + fact.file() + " (no such file)");
    }
    byte[] json = Files.readAllBytes(factsDir.resolve(fact.file() + ".json"));
    if (!Sha256.of(json).equals(fact.file())) {
      throw new IOException("the file of fact " + key + " does not have its sha256 " + fact.file());
    }
    return Json.mapper().readTree(json);
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
