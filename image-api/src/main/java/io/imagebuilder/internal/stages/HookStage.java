package io.imagebuilder.internal.stages;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.imagebuilder.api.error.ImageBuildException;
import io.imagebuilder.api.exec.Command;
import io.imagebuilder.api.spec.Hook;
import io.imagebuilder.api.spec.HookPoint;
import io.imagebuilder.api.stage.Phase;
import io.imagebuilder.api.stage.Stage;
import io.imagebuilder.api.stage.StageContext;
import io.imagebuilder.api.stage.StageOptions;
import io.imagebuilder.internal.io.HostDns;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code hook.run}: runs a user's command inside the target at its hook point. Options ({@link
 * Options}): {@code point}, {@code command} (argv), {@code network} (false unless the hook asks for
 * the network; then not in the options' JSON, so the stage id of a hook without it is unchanged).
 * Fails the build when the command exits non-zero.
 */
public final class HookStage implements Stage {
  /** Hooks run after every standard stage of their phase. */
  static final int ORDER_AFTER_STANDARD_STAGES = 1000;

  /**
   * What the hook stage reads.
   *
   * @param point where the hook runs
   * @param command its argv
   * @param network whether it may reach the network
   */
  public record Options(
      HookPoint point,
      List<String> command,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean network) {
    /** Copies the command. */
    public Options {
      command = List.copyOf(command);
    }

    /** The options of the spec's {@code hook}. */
    public static Options of(Hook hook) {
      return new Options(hook.point(), hook.command(), hook.network());
    }
  }

  private final Options hook;

  /** The stage for {@code options}. */
  public HookStage(Options options) {
    this.hook = options;
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
    return StageOptions.of(hook);
  }

  @Override
  public void run(StageContext context) throws ImageBuildException, InterruptedException {
    Command command = Command.of(hook.command());
    if (!hook.network()) {
      context.run(command);
      return;
    }
    try {
      HostDns.provide(context.rootfs()); // the finalise stage takes it away again
    } catch (IOException e) {
      throw new ImageBuildException(
          "cannot give the network hook a resolv.conf: " + e.getMessage(), e);
    }
    context.run(command.withNetwork());
  }
}
