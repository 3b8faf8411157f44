package io.imagebuilder.api.stage;

import io.imagebuilder.internal.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The ordered stages of a build. Immutable: every edit returns a new plan with the ids computed
 * anew. Tool authors insert, replace, wrap and remove stages by type.
 */
public final class Plan {
  private final List<PlannedStage> stages;

  private Plan(List<Stage> stages) {
    requirePhaseOrder(stages);
    List<PlannedStage> out = new ArrayList<>();
    String previous = "";
    for (Stage s : stages) {
      String id = idOf(s, previous);
      out.add(new PlannedStage(s, id));
      previous = id;
    }
    this.stages = List.copyOf(out);
  }

  /**
   * A plan of {@code stages} in the given order.
   *
   * @param stages the stages, in the order they run; copied
   * @return the plan, with each stage's id computed
   * @throws IllegalArgumentException for a null stage, or stages out of phase order (naming both
   *     phases)
   */
  public static Plan of(List<? extends Stage> stages) {
    List<Stage> copy = new ArrayList<>(stages);
    copy.forEach(
        s -> {
          if (s == null) {
            throw new IllegalArgumentException("a plan cannot hold a null stage");
          }
        });
    return new Plan(copy);
  }

  /** A stage may not run before one of an earlier phase: its inputs would not exist yet. */
  private static void requirePhaseOrder(List<Stage> stages) {
    for (int i = 1; i < stages.size(); i++) {
      Stage before = stages.get(i - 1);
      Stage after = stages.get(i);
      if (after.phase().compareTo(before.phase()) < 0) {
        throw new IllegalArgumentException(
            "invalid plan: stage "
                + after.type()
                + " of phase "
                + name(after.phase())
                + " would run after stage "
                + before.type()
                + " of phase "
                + name(before.phase())
                + " (expected stages in phase order: "
                + String.join(
                    ", ", java.util.Arrays.stream(Phase.values()).map(Plan::name).toList())
                + ")");
      }
    }
  }

  private static String name(Phase phase) {
    return phase.name().toLowerCase(java.util.Locale.ROOT);
  }

  static String idOf(Stage stage, String previousId) {
    return Json.sha256(stage.type() + "\n" + Json.canonical(stage.options()) + "\n" + previousId);
  }

  /**
   * The stages in the order they run, each with its id.
   *
   * @return an unmodifiable list
   */
  public List<PlannedStage> stages() {
    return stages;
  }

  /**
   * The last stage's id, which names the whole build; "" for an empty plan.
   *
   * @return the id, 64 hex digits, or {@code ""}
   */
  public String id() {
    return stages.isEmpty() ? "" : stages.get(stages.size() - 1).id();
  }

  /**
   * The stage types in the order they run.
   *
   * @return an unmodifiable list, e.g. {@code [rootfs.bootstrap, rootfs.sources, ...]}
   */
  public List<String> types() {
    return stages.stream().map(PlannedStage::type).toList();
  }

  /**
   * Whether the plan has a stage of {@code type}.
   *
   * @param type a stage type, e.g. {@code rootfs.packages}
   * @return true when at least one stage has that type
   */
  public boolean contains(String type) {
    return types().contains(type);
  }

  /**
   * This plan with {@code stage} inserted before the first stage of {@code type}.
   *
   * @param type the type of the stage to insert before
   * @param stage the stage to insert
   * @return a new plan; this one is unchanged
   * @throws IllegalArgumentException when the plan has no stage of {@code type}, naming the types
   *     it has
   * @throws IllegalArgumentException when the result would run a stage before one of an earlier
   *     phase, naming both phases
   */
  public Plan insertBefore(String type, Stage stage) {
    List<Stage> list = list();
    list.add(indexOf(type), stage);
    return new Plan(list);
  }

  /**
   * This plan with {@code stage} inserted after the last stage of {@code type}.
   *
   * @param type the type of the stage to insert after
   * @param stage the stage to insert
   * @return a new plan; this one is unchanged
   * @throws IllegalArgumentException when the plan has no stage of {@code type}, naming the types
   *     it has
   * @throws IllegalArgumentException when the result would run a stage before one of an earlier
   *     phase, naming both phases
   */
  public Plan insertAfter(String type, Stage stage) {
    List<Stage> list = list();
    list.add(lastIndexOf(type) + 1, stage);
    return new Plan(list);
  }

  /**
   * This plan with {@code stage} run last.
   *
   * @param stage the stage to append
   * @return a new plan; this one is unchanged
   * @throws IllegalArgumentException when the result would run a stage before one of an earlier
   *     phase, naming both phases
   */
  public Plan append(Stage stage) {
    List<Stage> list = list();
    list.add(stage);
    return new Plan(list);
  }

  /**
   * Replaces every stage of {@code type}.
   *
   * @param type the type of the stages to replace
   * @param replacement the stage that runs instead
   * @return a new plan; this one is unchanged
   * @throws IllegalArgumentException when the plan has no stage of {@code type}, naming the types
   *     it has
   * @throws IllegalArgumentException when the result would run a stage before one of an earlier
   *     phase, naming both phases
   */
  public Plan replace(String type, Stage replacement) {
    return wrap(type, old -> replacement);
  }

  /**
   * Replaces every stage of {@code type} with what {@code wrapper} makes of it.
   *
   * @param type the type of the stages to wrap
   * @param wrapper makes the wrapping stage from each, e.g. a {@link ForwardingStage}
   * @return a new plan; this one is unchanged
   * @throws IllegalArgumentException when the plan has no stage of {@code type}, naming the types
   *     it has
   */
  public Plan wrap(String type, UnaryOperator<Stage> wrapper) {
    indexOf(type);
    List<Stage> list = new ArrayList<>();
    for (Stage s : list()) {
      list.add(s.type().equals(type) ? wrapper.apply(s) : s);
    }
    return new Plan(list);
  }

  /**
   * Removes every stage of {@code type}.
   *
   * @param type the type of the stages to remove
   * @return a new plan; this one is unchanged
   * @throws IllegalArgumentException when the plan has no stage of {@code type}, naming the types
   *     it has
   */
  public Plan remove(String type) {
    indexOf(type);
    List<Stage> list = list();
    list.removeIf(s -> s.type().equals(type));
    return new Plan(list);
  }

  /**
   * [{index, type, id, phase, summary, options}], for people and tools.
   *
   * @return one map per stage, in order
   */
  public List<Map<String, Object>> describe() {
    List<Map<String, Object>> out = new ArrayList<>();
    int index = 1;
    for (PlannedStage p : stages) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", index++);
      m.put("type", p.type());
      m.put("id", p.id());
      m.put("phase", p.stage().phase().name().toLowerCase(java.util.Locale.ROOT));
      m.put("summary", p.stage().summary());
      m.put("options", p.stage().options());
      out.add(m);
    }
    return out;
  }

  /**
   * {@link #describe()} as indented JSON.
   *
   * @return the JSON text
   */
  public String toJson() {
    return Json.pretty(describe());
  }

  private List<Stage> list() {
    List<Stage> out = new ArrayList<>();
    stages.forEach(p -> out.add(p.stage()));
    return out;
  }

  private int indexOf(String type) {
    int i = types().indexOf(type);
    if (i < 0) {
      throw new IllegalArgumentException(
          "no stage of type '" + type + "' in the plan (expected one of " + types() + ")");
    }
    return i;
  }

  private int lastIndexOf(String type) {
    indexOf(type);
    return types().lastIndexOf(type);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (PlannedStage p : stages) {
      sb.append(p.id(), 0, 12)
          .append("  ")
          .append(p.type())
          .append("  ")
          .append(p.stage().summary())
          .append('\n');
    }
    return sb.toString();
  }
}
