package io.imagebuilder.api.stage;

import io.imagebuilder.api.spec.ImageSpec;

/**
 * Changes a plan before it runs: inserts, replaces, wraps or removes stages, knowing the spec the
 * plan was made for (for example to add a check only for images with a board).
 */
@FunctionalInterface
public interface PlanTransform {
  /**
   * The plan to run instead of {@code plan}.
   *
   * @param plan the plan so far (after the transforms added before this one)
   * @param spec the spec it builds, with defaults filled in
   * @return the transformed plan (or {@code plan} itself when nothing changes)
   */
  Plan apply(Plan plan, ImageSpec spec);
}
