package io.imagebuilder.rootfs.internal.repo;

import io.imagebuilder.rootfs.internal.version.DebianVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a Provides field: a (usually virtual) package name, optionally with the exact
 * version provided ({@code Provides: foo (= 1.2)}). Only a versioned provide satisfies a versioned
 * dependency.
 *
 * @param name the provided name
 * @param version the provided version, or null
 */
public record Provide(String name, DebianVersion version) {

  /**
   * Parses a Provides field.
   *
   * @throws IllegalArgumentException for alternatives or an operator other than {@code =}
   */
  public static List<Provide> parseList(String field) {
    List<Provide> out = new ArrayList<>();
    for (Relation r : Relation.parseList(field)) {
      if (r.alternatives().size() != 1) {
        throw new IllegalArgumentException(
            "invalid Provides '" + field + "': alternatives are not allowed");
      }
      Alternative a = r.alternatives().get(0);
      if (a.operator() != null && a.operator() != Alternative.Operator.EQUAL) {
        throw new IllegalArgumentException(
            "invalid Provides '" + field + "': only '=' versions are allowed, got '" + a + "'");
      }
      out.add(new Provide(a.name(), a.version()));
    }
    return out;
  }

  @Override
  public String toString() {
    return version == null ? name : name + " (= " + version + ")";
  }
}
