package io.imagebuilder.internal.stages;

import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.Hook;
import io.imagebuilder.api.spec.HookPoint;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import java.util.Map;

/**
 * {@code hook.run}: runs a user's command inside the target at its hook point. Options: {@code
 * point}, {@code command} (argv). Fails the build when the command exits non-zero.
 */
public final class HookStage implements Stage {
  /** Hooks run after every standard stage of their phase. */
  static final int ORDER_AFTER_STANDARD_STAGES = 1000;

  private final Hook hook;

  public HookStage(Hook hook) {
    this.hook = hook;
  }

  @Override
  public String type() {
    return "hook.run";
  }

  @Override
  public String summary() {
    return hook.point() + ": " + String.join(" ", hook.command());
  }

  @Override
  public Phase phase() {
    return phaseOf(hook.point());
  }

  static Phase phaseOf(HookPoint point) {
    switch (point) {
      case AFTER_BOOTSTRAP:
        return Phase.BOOTSTRAP;
      case AFTER_PACKAGES:
        return Phase.PACKAGES;
      case BEFORE_FINALISE:
        return Phase.CUSTOMISE;
      default:
        throw new IllegalArgumentException("unknown hook point " + point);
    }
  }

  @Override
  public int orderInPhase() {
    return ORDER_AFTER_STANDARD_STAGES;
  }

  @Override
  public Map<String, Object> options() {
    return Map.of("point", hook.point().id(), "command", hook.command());
  }

  @Override
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    context.run(Command.of(hook.command()));
  }
}
