package io.imagebuilder.internal.stages;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.imagebuilder.api.spec.ImageSpec;
import io.imagebuilder.api.stage.Plan;
import io.imagebuilder.api.stage.Stage;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every way of changing a stage's options record in one value: one variant per component (per
 * component of a nested record, recursively), each differing from the original in that value only.
 * The modules' tests build each standard stage from each variant and check that its id changes,
 * which proves that every value a stage reads is part of its id.
 */
public final class OptionVariants {
  private OptionVariants() {}

  /**
   * One changed copy of an options record.
   *
   * @param component the dotted path of the changed component, e.g. {@code archive.mirror}
   * @param options the copy
   */
  public record Variant(String component, Record options) {}

  /**
   * The variants of {@code options}.
   *
   * @param options an options record; a null string component gets a value, while another null
   *     component and an empty list or map are left to a fixture that sets them (compare {@link
   *     #allComponents}), and a component marked {@link JsonIgnore} (a locator, see {@link
   *     io.imagebuilder.api.stage.StageOptions}) has no variant
   * @return one variant per (nested) component that has a value to change
   */
  public static List<Variant> of(Record options) {
    List<Variant> out = new ArrayList<>();
    RecordComponent[] components = options.getClass().getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      Object value = get(c, options);
      if (c.getAccessor().isAnnotationPresent(JsonIgnore.class)) {
        continue; // a locator of bytes another component pins by hash (see StageOptions)
      }
      if ((value == null && c.getType() != String.class)
          || (value instanceof java.util.Collection<?> all && all.isEmpty())
          || (value instanceof Map<?, ?> map && map.isEmpty())) {
        continue; // nothing to change here: checked with a fixture that sets it (see allComponents)
      }
      if (value instanceof Record nested) {
        for (Variant v : of(nested)) {
          out.add(new Variant(c.getName() + "." + v.component(), with(options, i, v.options())));
        }
      } else {
        out.add(new Variant(c.getName(), with(options, i, changed(c, value))));
      }
    }
    return out;
  }

  /**
   * What checking a stage found.
   *
   * @param varied the dotted paths of the components that were changed
   * @param outsideTheId those of them whose change left the stage's id as it was
   */
  public record Check(List<String> varied, List<String> outsideTheId) {}

  /**
   * Every component path of an options record type, nested records' included, locators not.
   *
   * @param type an options record type
   * @return the dotted paths, e.g. {@code archive.mirror}
   */
  public static List<String> allComponents(Class<?> type) {
    List<String> out = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      if (c.getAccessor().isAnnotationPresent(JsonIgnore.class)) {
        continue;
      }
      if (c.getType().isRecord()) {
        for (String nested : allComponents(c.getType())) {
          out.add(c.getName() + "." + nested);
        }
      } else {
        out.add(c.getName());
      }
    }
    return out;
  }

  /**
   * The options record type a standard stage is built from: its nested record named {@code
   * Options}.
   *
   * @param stage a standard stage
   * @return the record type
   * @throws IllegalArgumentException if it has none
   */
  public static Class<?> optionsType(Stage stage) {
    for (Class<?> nested : stage.getClass().getDeclaredClasses()) {
      if (nested.isRecord() && nested.getSimpleName().equals("Options")) {
        return nested;
      }
    }
    throw new IllegalArgumentException(
        stage.getClass().getName()
            + " ("
            + stage.type()
            + ") has no nested Options record (expected every standard stage to be built from one)");
  }

  /**
   * The components of {@code stage}'s options record whose change leaves the stage's id as it was.
   * The stage must be built from a nested record named {@code Options} (a field of that type, a
   * constructor taking it), as every standard stage is.
   *
   * @param stage a standard stage
   * @return the dotted component paths outside the id; empty when the id covers every one
   * @throws IllegalArgumentException if the stage has no options record or a component has no value
   *     to change
   */
  public static List<String> outsideTheId(Stage stage) {
    return check(stage).outsideTheId();
  }

  /**
   * Changes each component of {@code stage}'s options record in turn and sees whether the id
   * changes.
   *
   * @param stage a standard stage
   * @return what was changed, and what of it left the id as it was
   * @throws IllegalArgumentException if the stage has no options record
   */
  public static Check check(Stage stage) {
    Class<?> type = stage.getClass();
    Class<?> optionsType = optionsType(stage);
    Record options = null;
    for (Field f : type.getDeclaredFields()) {
      if (f.getType() == optionsType) {
        try {
          f.setAccessible(true);
          options = (Record) f.get(stage);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("cannot read " + f, e);
        }
      }
    }
    if (options == null) {
      throw new IllegalArgumentException(
          type.getName() + " keeps no " + optionsType.getSimpleName() + " field");
    }
    Constructor<?> make;
    try {
      make = type.getDeclaredConstructor(optionsType);
      make.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          type.getName() + " has no constructor taking its Options", e);
    }
    String id = idOf(stage);
    List<String> outside = new ArrayList<>();
    List<String> varied = new ArrayList<>();
    for (Variant v : of(options)) {
      varied.add(v.component());
      try {
        if (idOf((Stage) make.newInstance(v.options())).equals(id)) {
          outside.add(v.component());
        }
      } catch (InvocationTargetException e) {
        throw new IllegalArgumentException(
            "cannot build "
                + stage.type()
                + " with a changed "
                + v.component()
                + ": "
                + e.getCause(),
            e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot build " + type.getName(), e);
      }
    }
    return new Check(varied, outside);
  }

  private static String idOf(Stage stage) {
    return Plan.of(List.of(stage)).stages().get(0).id();
  }

  private static Object changed(RecordComponent c, Object value) {
    Class<?> type = c.getType();
    if (value == null) {
      return "set"; // a string component only (see of): from null to a value
    }
    if (value instanceof String s) {
      return s + "-changed";
    }
    if (value instanceof Boolean b) {
      return !b;
    }
    if (value instanceof Integer n) {
      return n + 1;
    }
    if (value instanceof Long n) {
      return n + 1;
    }
    if (value instanceof Enum<?> e) {
      Object[] all = e.getDeclaringClass().getEnumConstants();
      if (all.length < 2) {
        throw new IllegalArgumentException(
            "component '" + c.getName() + "' has a one-value enum type " + type);
      }
      return all[(e.ordinal() + 1) % all.length];
    }
    if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        throw new IllegalArgumentException(
            "component '"
                + c.getName()
                + "' of "
                + c.getDeclaringRecord().getSimpleName()
                + " is an empty list (expected the fixture to give it an element)");
      }
      return List.copyOf(list.subList(0, list.size() - 1));
    }
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        throw new IllegalArgumentException(
            "component '"
                + c.getName()
                + "' of "
                + c.getDeclaringRecord().getSimpleName()
                + " is an empty map (expected the fixture to give it an entry)");
      }
      Map<Object, Object> copy = new LinkedHashMap<>(map);
      copy.remove(copy.keySet().iterator().next());
      return copy;
    }
    if (value instanceof ImageSpec spec) {
      return spec.toBuilder().hostname(spec.hostname() + "-changed").build();
    }
    throw new IllegalArgumentException(
        "component '"
            + c.getName()
            + "' has type "
            + type.getName()
            + " (expected a string, number, boolean, enum, list, map, record or spec)");
  }

  private static Object get(RecordComponent c, Record r) {
    try {
      c.getAccessor().setAccessible(true);
      return c.getAccessor().invoke(r);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read component " + c.getName() + " of " + r, e);
    }
  }

  private static Record with(Record r, int index, Object value) {
    RecordComponent[] components = r.getClass().getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      args[i] = i == index ? value : get(components[i], r);
      types[i] = components[i].getType();
    }
    try {
      Constructor<? extends Record> constructor = r.getClass().getDeclaredConstructor(types);
      constructor.setAccessible(true);
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(
          "cannot change component '"
              + components[index].getName()
              + "' of "
              + r.getClass().getSimpleName()
              + " to "
              + value
              + ": "
              + e.getCause(),
          e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy " + r, e);
    }
  }
}
