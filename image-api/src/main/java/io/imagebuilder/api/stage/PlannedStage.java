package io.imagebuilder.api.stage;

/**
 * A stage at its place in a plan.
 *
 * @param stage the stage
 * @param id sha256 of the stage's type, its options as canonical JSON and the previous stage's id:
 *     the last id names the whole tree
 */
public record PlannedStage(Stage stage, String id) {
  /** {@return the stage's type name} */
  public String type() {
    return stage.type();
  }
}
